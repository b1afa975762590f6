from .models import AuditEvent


def audit_events_for_case(case_id: int):
    """The case's audit trail, newest first, with the acting user loaded."""
    return AuditEvent.objects.filter(case_id=case_id).select_related("user")
