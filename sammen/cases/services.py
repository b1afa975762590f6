"""Writes of case data. Each write and its audit row happen in one transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.access.models import AccessGrant
from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record

from .models import ChildCase, Person, Relation, TribunalDecision, VisitationRuling
from .models.decisions import KeptVersion, TribunalDecisionVersion, VisitationRulingVersion
from .signals import decisions_changed


def next_case_reference(year: int) -> str:
    """The next free reference of the year, e.g. "BV-2025-0007"."""
    prefix = f"BV-{year}-"
    last = (
        ChildCase.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def case_create(*, user, case: ChildCase, child: Person, request=None) -> ChildCase:
    """Open a case for a child. `case` and `child` are unsaved instances from the form."""
    for _attempt in range(5):
        case.reference = next_case_reference(case.opened_on.year)
        try:
            with transaction.atomic():
                case.full_clean()
                case.save()
            break
        except IntegrityError:  # another case took the reference in the meantime
            case.pk = None
            case._state.adding = True
    else:
        raise IntegrityError("could not allocate a case reference")
    child.case = case
    child.relation = Relation.CHILD
    try:
        child.full_clean()
    except ValidationError as error:  # shown on the case's form, which has no child fields
        raise ValidationError(error.messages) from error
    child.save()
    audit_record(user=user, action=AuditAction.CREATE, case_id=case.pk, obj=case, request=request)
    audit_record(user=user, action=AuditAction.CREATE, case_id=case.pk, obj=child, request=request)
    return case


@transaction.atomic
def case_object_save(
    *, user, case: ChildCase, instance: Model, expected_version: int | None, request=None
) -> Model:
    """Create or change one record of a case (a person, a placement, a plan …) and audit it.

    An existing record is saved only if nobody else saved it since the form was opened.
    """
    adding = instance._state.adding
    instance.full_clean()
    if adding:
        instance.save()
    else:
        instance.save_versioned(expected_version=expected_version or 0)
    audit_record(
        user=user,
        action=AuditAction.CREATE if adding else AuditAction.UPDATE,
        case_id=case.pk,
        obj=instance,
        request=request,
    )
    return instance


def _save_with_version(
    *,
    user,
    case: ChildCase,
    record,
    version_model: type[KeptVersion],
    reason: str,
    expected_version: int | None,
    no_reason: str,
    no_change: str,
    request,
):
    """Register a legal record (its version 1) or change it (a new version, with why).

    The record's row carries the terms in force; each version is kept unchanged beside it. A
    change claims the version the form was opened at (the claim holds the row's lock until the
    transaction ends), so of two changes made from the same page one is refused; the new
    version's number is taken from the row the change claimed.
    """
    adding = record._state.adding
    record.full_clean()
    if adding:
        record.number = 1
        record.save()
    else:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(no_reason)
        current = version_model.current_of(record)
        if current is not None and current.has_terms_of(record):
            raise ValidationError(no_change)
        record.number += 1
        record.save_versioned(expected_version=expected_version)
    version = version_model.of(record, number=record.number, reason=reason, made_by=user)
    version.full_clean()
    version.save()
    audit_record(
        user=user,
        action=AuditAction.CREATE if adding else AuditAction.UPDATE,
        case_id=case.pk,
        obj=record,
        reason=f"version {record.number}" + (f": {reason}" if reason else ""),
        request=request,
    )
    return record


@transaction.atomic
def decision_save(
    *,
    user,
    case: ChildCase,
    decision: TribunalDecision,
    reason: str = "",
    expected_version: int | None,
    request=None,
) -> TribunalDecision:
    """Register a tribunal decision (its version 1) or change it (a new version, with why)."""
    if decision.case_id != case.pk:
        raise ValidationError(_("The decision belongs to another case."))
    saved = _save_with_version(
        user=user,
        case=case,
        record=decision,
        version_model=TribunalDecisionVersion,
        reason=reason,
        expected_version=expected_version,
        no_reason=_("Say why the decision is changed."),
        no_change=_("Nothing in the decision was changed."),
        request=request,
    )
    decisions_changed.send(sender=TribunalDecision, case=case, user=user, request=request)
    return saved


@transaction.atomic
def ruling_save(
    *,
    user,
    case: ChildCase,
    ruling: VisitationRuling,
    reason: str = "",
    expected_version: int | None,
    request=None,
) -> VisitationRuling:
    """Register a visitation ruling (its version 1) or change it (a new version, with why)."""
    if ruling.decision.case_id != case.pk:
        raise ValidationError(_("The decision belongs to another case."))
    return _save_with_version(
        user=user,
        case=case,
        record=ruling,
        version_model=VisitationRulingVersion,
        reason=reason,
        expected_version=expected_version,
        no_reason=_("Say why the ruling is changed."),
        no_change=_("Nothing in the ruling was changed."),
        request=request,
    )


@transaction.atomic
def team_update(*, user, case: ChildCase, caseworker, counsellors, expected_version, request=None):
    """Change the case's caseworker and counsellors."""
    case.caseworker = caseworker
    # Only the team changes: the case's dates are not the team form's to answer for.
    case.full_clean(exclude=["opened_on", "closed_on", "petition_date"])
    case.save_versioned(expected_version=expected_version or 0)
    case.counsellors.set(counsellors)
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        case_id=case.pk,
        obj=case,
        reason="team",
        request=request,
    )
    return case


@transaction.atomic
def grant_create(*, user, case: ChildCase, grant: AccessGrant, request=None) -> AccessGrant:
    """Give someone outside the team time-limited access to the case, with a reason."""
    grant.case = case
    grant.granted_by = user
    grant.full_clean()
    grant.save()
    audit_record(
        user=user,
        action=AuditAction.GRANT,
        case_id=case.pk,
        obj=grant,
        reason=grant.reason,
        request=request,
    )
    return grant


@transaction.atomic
def grant_revoke(*, user, grant: AccessGrant, request=None) -> AccessGrant:
    """End a grant now. The grant's row is locked, so that of two revocations one ends it and
    the other is told it has already ended."""
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise ValidationError(_("This access has already been ended."))
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit_record(
        user=user, action=AuditAction.REVOKE, case_id=grant.case_id, obj=grant, request=request
    )
    return grant
