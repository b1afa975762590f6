"""The audit log: who did what with which case, and when. Rows are never changed or deleted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit row."""


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    GRANT = "grant", _("Access granted")
    REVOKE = "revoke", _("Access revoked")
    DENIED = "denied", _("Access refused")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit rows cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit rows cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("audit rows cannot be changed")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("audit rows cannot be changed")


class AuditEvent(models.Model):
    """One read or write of case data, e.g. "kari.caseworker viewed case 12 (ChildCase 12)".

    `case_id` is a plain number, not a foreign key, so the log outlives anything it points at
    and the audit app depends on no domain app. `object_ids` holds the ids a list showed.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    case_id = models.BigIntegerField(_("case"), null=True, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object"), max_length=40, blank=True)
    object_ids = models.JSONField(_("objects listed"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    method = models.CharField(max_length=8, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case_id", "-at"], name="audit_case_time")]
        # Django's own lookups go through the base manager; it too must refuse changes.
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} case={self.case_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit rows cannot be deleted")
