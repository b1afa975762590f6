"""Writes of case data. Each write and its audit row happen in one transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.access.models import AccessGrant
from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record

from .models import ChildCase, Person, Relation, VisitationRuling
from .models.decisions import RULING_TERMS, VisitationRulingVersion


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
    child.full_clean()
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
    """Register a visitation ruling (its version 1) or change it (a new version, with why).

    The ruling's row carries the terms in force; each version is kept unchanged beside it.
    A change claims the version the form was opened at, so of two changes made from the same
    page one is refused; the new version's number is taken from the row the change claimed.
    """
    if ruling.decision.case_id != case.pk:
        raise ValidationError(_("The decision belongs to another case."))
    adding = ruling._state.adding
    ruling.full_clean()
    if adding:
        ruling.number = 1
        ruling.save()
    else:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Say why the ruling is changed."))
        current = VisitationRulingVersion.objects.filter(
            ruling_id=ruling.pk, number=ruling.number
        ).first()
        if current is not None and all(
            getattr(current, name) == getattr(ruling, name) for name in RULING_TERMS
        ):
            raise ValidationError(_("Nothing in the ruling was changed."))
        ruling.number += 1
        ruling.save_versioned(expected_version=expected_version)
    version = VisitationRulingVersion.of(ruling, number=ruling.number, reason=reason, made_by=user)
    version.full_clean()
    version.save()
    audit_record(
        user=user,
        action=AuditAction.CREATE if adding else AuditAction.UPDATE,
        case_id=case.pk,
        obj=ruling,
        reason=f"version {ruling.number}" + (f": {reason}" if reason else ""),
        request=request,
    )
    return ruling


@transaction.atomic
def team_update(*, user, case: ChildCase, caseworker, counsellors, expected_version, request=None):
    """Change the case's caseworker and counsellors."""
    case.caseworker = caseworker
    case.full_clean()
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
