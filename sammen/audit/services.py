"""Writing the audit log. Every read and write of case data passes through `audit_record`."""

from collections.abc import Iterable

from django.db import models

from .models import AuditAction, AuditEvent


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
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        case_id=case_id,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_ids=list(object_ids),
        reason=reason,
        path=request.get_full_path()[:300] if request is not None else "",
        method=request.method if request is not None else "",
    )
