"""Writing the audit log. Every read and write of case data passes through `audit_record`."""

from collections.abc import Iterable

from django.db import models

from .models import AuditAction, AuditEvent

# The list on the request where refusals wait for the view's transaction to end.
PENDING_ATTR = "_audit_pending"


def _event_fields(*, user, action, case_id, obj, object_ids, reason, request) -> dict:
    return {
        "user": user if getattr(user, "is_authenticated", False) else None,
        "action": action,
        "case_id": case_id,
        "object_type": obj._meta.label if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "object_ids": list(object_ids),
        "reason": reason,
        "path": request.get_full_path()[:300] if request is not None else "",
        "method": request.method if request is not None else "",
    }


def audit_record(
    *,
    user,
    action: AuditAction,
    case_id: int | None = None,
    obj: models.Model | None = None,
    object_ids: Iterable[int] = (),
    reason: str = "",
    request=None,
) -> AuditEvent:
    """Append one row to the audit log."""
    return AuditEvent.objects.create(
        **_event_fields(
            user=user,
            action=action,
            case_id=case_id,
            obj=obj,
            object_ids=object_ids,
            reason=reason,
            request=request,
        )
    )


def audit_refusal(*, user, case_id: int, obj: models.Model | None = None, request=None) -> None:
    """Log a refused attempt so that the row outlives the request's rollback.

    With ATOMIC_REQUESTS, a view that raises Http404 or PermissionDenied is rolled back, and a
    row written inside it would be rolled back too. The row therefore waits on the request and
    `DeferredAuditMiddleware` writes it after the view's transaction has ended. Without the
    middleware (no request, or a bare RequestFactory request) the row is written at once.
    """
    fields = _event_fields(
        user=user,
        action=AuditAction.DENIED,
        case_id=case_id,
        obj=obj,
        object_ids=(),
        reason="",
        request=request,
    )
    pending = getattr(request, PENDING_ATTR, None)
    if pending is None:
        AuditEvent.objects.create(**fields)
    else:
        pending.append(fields)
