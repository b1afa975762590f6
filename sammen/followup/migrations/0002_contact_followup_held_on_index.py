from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["followup", "held_on"], name="contact_followup_held_on"),
        ),
    ]
