"""Writes of the time log; each entry and its audit row are saved together."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record
from sammen.visits.choices import SessionStatus

from .models import TimeEntry


@transaction.atomic
def time_entry_create(*, user, entry: TimeEntry, request=None) -> TimeEntry:
    """Log the counsellor's own time on a case they may change."""
    if entry.contact_id and entry.contact.followup.referral.case_id != entry.case_id:
        raise ValidationError(_("The contact belongs to another case."))
    if entry.visit_session_id:
        if entry.visit_session.plan.case_id != entry.case_id:
            raise ValidationError(_("The visit belongs to another case."))
        if entry.visit_session.status != SessionStatus.HELD:
            raise ValidationError(_("Time can be logged from a held visit only."))
    entry.counsellor = user
    entry.section_id = entry.case.section_id
    entry.full_clean()
    entry.save()
    audit_record(
        user=user, action=AuditAction.CREATE, case_id=entry.case_id, obj=entry, request=request
    )
    return entry
