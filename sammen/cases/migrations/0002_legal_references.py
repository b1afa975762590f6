"""The provisions the system relies on. Administrators keep them current in the admin."""

from django.db import migrations

REFERENCES = [
    ("placement.emergency", "barnevernsloven (2021)", "§ 4-2",
     "Akuttvedtak om plassering utenfor hjemmet",
     "Godkjennes av nemnda. Plasseringen kan vare i seks uker før sak om omsorgsovertakelse må reises."),
    ("placement.voluntary", "barnevernsloven (2021)", "kap. 3",
     "Frivillig plassering utenfor hjemmet (hjelpetiltak)",
     "Bygger på foreldrenes samtykke, som kan trekkes tilbake når som helst. Kontroller paragrafnummeret."),
    ("placement.care_order", "barnevernsloven (2021)", "§ 5-1", "Vedtak om omsorgsovertakelse", ""),
    ("decision.visitation", "barnevernsloven (2021)", "§ 7-1",
     "Samvær og kontakt etter omsorgsovertakelse",
     "Nemndas samvær er et minimum; mindre krever nytt vedtak."),
    ("followup.parents", "barnevernsloven (2021)", "§ 8-3",
     "Oppfølging av barn og foreldre etter vedtak om omsorgsovertakelse", ""),
    ("followup.after_lifting", "barnevernsloven (2021)", "§ 8-7",
     "Oppfølging etter at vedtak om omsorgsovertakelse er opphevet",
     "Endring vedtatt 20. juni 2025; inntil seks måneders oppfølging."),
    ("careplan.final", "barnevernloven (1992)", "§ 4-15 tredje ledd",
     "Endelig omsorgsplan senest to år etter nemndas vedtak",
     "Veilederen viser til 1992-loven; kontroller tilsvarende bestemmelse i 2021-loven."),
    ("principle.best_interest", "barnevernsloven (2021)", "§ 1-3", "Barnets beste", ""),
    ("principle.participation", "barnevernsloven (2021)", "§ 1-4", "Barnets rett til medvirkning", ""),
]


def add(apps, schema_editor):
    LegalReference = apps.get_model("cases", "LegalReference")
    for key, act, provision, title, note in REFERENCES:
        LegalReference.objects.update_or_create(
            key=key, defaults={"act": act, "provision": provision, "title": title, "note": note}
        )


def remove(apps, schema_editor):
    apps.get_model("cases", "LegalReference").objects.filter(key__in=[r[0] for r in REFERENCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
