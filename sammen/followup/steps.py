"""The follow-up's recording steps that share one form page: slug → form and service."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import forms, services


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type
    save: Callable


def _activity(event):
    def save(*, user, followup, form, request):
        return services.activity_add(
            user=user,
            followup=followup,
            instance=form.save(commit=False),
            event=event,
            request=request,
        )

    return save


def _consent(*, user, followup, form, request):
    return services.consent_record(
        user=user, followup=followup, event=form.save(commit=False), request=request
    )


def _meeting(*, user, followup, form, request):
    return services.meeting_record(
        user=user,
        followup=followup,
        meeting=form.save(commit=False),
        frame=form.frame,
        request=request,
    )


STEPS = {
    s.slug: s
    for s in (
        Step(
            "informasjon",
            _("Information to the parent"),
            forms.InformationForm,
            _activity("inform"),
        ),
        Step("samtykke", _("Consent"), forms.ConsentForm, _consent),
        Step("mote", _("Start meeting"), forms.MeetingForm, _meeting),
        Step("kontakt", _("Guidance session or contact"), forms.ContactForm, _activity("activity")),
        Step("fase", _("The parent's phase"), forms.PhaseForm, _activity("activity")),
        Step("levekar", _("Living conditions"), forms.LivingConditionsForm, _activity("activity")),
        Step(
            "tjeneste",
            _("Referral to another service"),
            forms.ServiceReferralForm,
            _activity("activity"),
        ),
    )
}

# What may still be recorded while aftercare (bvl. § 8-7) lasts (rules.AFTERCARE_RECORDS).
AFTERCARE_STEPS = ("kontakt", "levekar", "tjeneste")
