"""Writes of the time log; each entry and its audit row are saved together."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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
    if entry.contact_id and TimeEntry.objects.filter(contact_id=entry.contact_id).exists():
        raise ValidationError(_("Time is already logged for this contact."))
    if (
        entry.visit_session_id
        and TimeEntry.objects.filter(visit_session_id=entry.visit_session_id).exists()
    ):
        raise ValidationError(_("Time is already logged for this visit."))
    entry.counsellor = user
    entry.section_id = entry.case.section_id
    entry.full_clean()
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:  # logged by someone else in the same moment
        raise ValidationError(_("Time is already logged for this contact or visit.")) from error
    audit_record(
        user=user, action=AuditAction.CREATE, case_id=entry.case_id, obj=entry, request=request
    )
    return entry


def _own(user, entry: TimeEntry) -> None:
    if entry.counsellor_id != user.pk:
        raise ValidationError(_("Only the person who logged the time can change it."))


@transaction.atomic
def time_entry_update(*, user, entry: TimeEntry, expected_version, request=None) -> TimeEntry:
    """The counsellor corrects their own entry (`expected_version`: when the form was opened)."""
    _own(user, entry)
    entry.carry_version(expected_version)
    entry.section_id = entry.case.section_id
    entry.full_clean()
    entry.save()
    audit_record(
        user=user, action=AuditAction.UPDATE, case_id=entry.case_id, obj=entry, request=request
    )
    return entry


@transaction.atomic
def time_entry_delete(*, user, entry: TimeEntry, expected_version, request=None) -> None:
    """The counsellor deletes their own entry; the contact or visit can then be logged again."""
    _own(user, entry)
    case_id = entry.case_id
    audit_record(user=user, action=AuditAction.DELETE, case_id=case_id, obj=entry, request=request)
    entry.delete_versioned(expected_version=expected_version)
