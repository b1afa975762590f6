"""Fetch a case and authorize the request against the case-access policy, in one step.

"Not found" and "not yours" look the same (404), so a foreign case's existence does not leak.
Every outcome is audit-logged: a refusal as DENIED, a read as VIEW.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from sammen.access.policy import Access, can_manage_access, case_access
from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record, audit_refusal

from .models import ChildCase

SAFE_METHODS = ("GET", "HEAD")


def get_case(
    request, case_pk: int, *, need: Access = Access.READ, audit_view: bool = True
) -> ChildCase:
    """The case, if the signed-in user may `need` it; audit-logs the read."""
    # Sliced rather than `.first()`, which would add an ORDER BY (slow for the ORM to compile)
    # to a read of one row by its primary key.
    found = (
        ChildCase.objects.select_related("section__unit", "caseworker")
        .filter(pk=case_pk)
        .order_by()[:1]
    )
    case = found[0] if found else None
    level = case_access(request.user, case) if case is not None else Access.NONE
    if level < need:
        if case is not None:
            audit_refusal(user=request.user, case_id=case.pk, request=request)
        if level == Access.NONE:
            raise Http404
        raise PermissionDenied
    if audit_view and request.method in SAFE_METHODS:
        audit_record(
            user=request.user, action=AuditAction.VIEW, case_id=case.pk, obj=case, request=request
        )
    case.access = level
    return case


def get_case_for_access_management(request, case_pk: int) -> ChildCase:
    """The case, if the user is a section leader who may grant access and read its audit log."""
    case = get_case(request, case_pk, need=Access.READ, audit_view=False)
    if not can_manage_access(request.user, case):
        audit_refusal(user=request.user, case_id=case.pk, obj=case, request=request)
        raise PermissionDenied
    audit_record(
        user=request.user, action=AuditAction.VIEW, case_id=case.pk, obj=case, request=request
    )
    return case


def refuse(request, case: ChildCase, *, not_found: bool = False):
    """Refuse a request on a case the user may open but not use this way; the refusal is logged."""
    audit_refusal(user=request.user, case_id=case.pk, obj=case, request=request)
    raise Http404 if not_found else PermissionDenied
