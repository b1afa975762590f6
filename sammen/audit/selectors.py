from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .models import AuditEvent


def audit_events_for_case(
    case_id: int, *, user_id: int | None = None, start: date | None = None, end: date | None = None
):
    """The case's audit trail, newest first, with the acting user loaded; optionally one
    person's rows and the days from `start` to `end` (local time, both included)."""
    events = AuditEvent.objects.filter(case_id=case_id).select_related("user")
    if user_id:
        events = events.filter(user_id=user_id)
    zone = timezone.get_current_timezone()
    if start:
        events = events.filter(at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end:
        next_day = datetime.combine(end, time.min, tzinfo=zone) + timedelta(days=1)
        events = events.filter(at__lt=next_day)
    return events


def people_in_case_log(case_id: int) -> list[int]:
    """The ids of everyone who appears in the case's log."""
    return list(
        AuditEvent.objects.filter(case_id=case_id, user__isnull=False)
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )
