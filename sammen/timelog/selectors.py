"""Reads of the time log."""

from django.db.models import Sum

from sammen.followup.models import Contact
from sammen.visits.models import VisitSession

from .models import TimeEntry


def my_entries(user, *, limit: int = 100):
    """The counsellor's own latest entries, with their cases."""
    return TimeEntry.objects.filter(counsellor=user).select_related("case")[:limit]


def my_totals(user):
    """Hours and kilometres per activity over all the counsellor's entries."""
    return (
        TimeEntry.objects.filter(counsellor=user)
        .values("activity")
        .annotate(hours=Sum("hours"), km=Sum("km"))
        .order_by("activity")
    )


def contact_for_entry(contact_id: int):
    """The follow-up contact a quick entry starts from, with what the form needs."""
    return (
        Contact.objects.select_related("followup__parent", "followup__referral")
        .filter(pk=contact_id)
        .first()
    )


def session_for_entry(session_id: int):
    """The visit a quick entry starts from, with its case and visitor."""
    return (
        VisitSession.objects.select_related("plan__case", "plan__visitor")
        .filter(pk=session_id)
        .first()
    )
