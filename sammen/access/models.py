from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessGrantQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, valid_from__lte=at, valid_until__gt=at)

    def current_or_coming(self, at=None):
        """Grants in force at `at` or starting later: those whose start or end is still ahead."""
        return self.filter(revoked_at__isnull=True, valid_until__gt=at or timezone.now())


class AccessGrant(models.Model):
    """Time-limited access to one case for someone outside its team, with the reason given.

    Example: a caseworker covering during the holidays gets read access for three weeks.
    """

    case = models.ForeignKey(
        "cases.ChildCase", on_delete=models.CASCADE, related_name="grants", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_grants",
        verbose_name=_("given to"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("given by"),
    )
    reason = models.TextField(_("reason"))
    can_edit = models.BooleanField(_("may also change the case"), default=False)
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("valid_from")),
                name="grant_ends_after_start",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="grant_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.case_id} ({self.valid_until:%d.%m.%Y})"

    def clean(self):
        super().clean()
        start, until = self.valid_from, self.valid_until
        if start is not None and until is not None and until <= start:
            start, until = timezone.localtime(start), timezone.localtime(until)
            raise ValidationError(
                {
                    "valid_until": _("Access must end (%(until)s) after it starts (%(start)s).")
                    % {"until": f"{until:%d.%m.%Y %H:%M}", "start": f"{start:%d.%m.%Y %H:%M}"}
                }
            )

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.valid_from <= at < self.valid_until
