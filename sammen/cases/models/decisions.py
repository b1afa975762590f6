from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sammen.core import wording
from sammen.core.models import VersionedModel

from .case import ChildCase
from .legal import LegalReference
from .persons import Person


class DecisionKind(models.TextChoices):
    EMERGENCY_APPROVAL = "emergency", _("Approval of emergency decision")
    CARE_ORDER = "care_order", _("Care order")
    VISITATION = "visitation", _("Visitation (contact) only")
    LIFTING = "lifting", _("Lifting of care order")
    OTHER = "other", _("Other decision")


class TribunalDecision(VersionedModel):
    """A decision of the tribunal (barneverns- og helsenemnda) in the case."""

    case = models.ForeignKey(
        ChildCase, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("case")
    )
    decided_on = models.DateField(_("decision date"))
    kind = models.CharField(_("kind of decision"), max_length=12, choices=DecisionKind.choices)
    legal_basis = models.ForeignKey(
        LegalReference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legal basis"),
    )
    summary = models.TextField(_("summary"), blank=True)
    appealed = models.BooleanField(_("appealed to the district court"), default=False)

    class Meta:
        verbose_name = _("tribunal decision")
        verbose_name_plural = _("tribunal decisions")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on:%d.%m.%Y}"


class PeriodUnit(models.TextChoices):
    WEEK = "week", _("week(s)")
    MONTH = "month", _("month(s)")
    YEAR = "year", _("year(s)")


class Supervision(models.TextChoices):
    SUPERVISED = "supervised", _("Supervised")
    SUPPORTED = "supported", _("Supported")
    NONE = "none", _("No supervision")


class VisitationRuling(VersionedModel):
    """The decision's ruling on contact for one person: a minimum the service must give.

    Example: the mother has at least 1 visit per 2 months, at least 2 hours each, supervised.

    The row holds the terms in force (the current version, `number`); every version, the first
    included, is kept as an unchangeable `VisitationRulingVersion` with who made it, when and
    why. A change is made only through `cases.services.ruling_save`, which numbers the new
    version and writes its row in the same transaction.
    """

    decision = models.ForeignKey(
        TribunalDecision,
        on_delete=models.CASCADE,
        related_name="rulings",
        verbose_name=_("decision"),
    )
    visitor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="rulings", verbose_name=_("who")
    )
    visits = models.PositiveSmallIntegerField(
        _("at least this many visits"), validators=[MinValueValidator(1)]
    )
    period_length = models.PositiveSmallIntegerField(
        _("per"), default=1, validators=[MinValueValidator(1)]
    )
    period_unit = models.CharField(_("period"), max_length=5, choices=PeriodUnit.choices)
    min_hours = models.DecimalField(
        _("minimum length (hours)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )
    supervision = models.CharField(_("supervision"), max_length=10, choices=Supervision.choices)
    conditions = models.TextField(_("other conditions"), blank=True)
    details_delegated = models.BooleanField(_("details left to the service"), default=True)
    number = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("visitation ruling")
        verbose_name_plural = _("visitation rulings")
        ordering = ["decision", "visitor__relation"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visits__gte=1), name="ruling_visits_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(period_length__gte=1), name="ruling_period_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visitor}: {self.frequency_text}"

    @property
    def frequency_text(self) -> str:
        """In words: "every other week", "twice a month" (core.wording)."""
        return wording.frequency_text(self.visits, self.period_length, self.period_unit)


# The reason given to the versions carried over from before versions were kept (migration 0003).
CARRIED_OVER_REASON = "registered before versions were kept"

# The terms of a ruling that each version keeps.
RULING_TERMS = (
    "visitor_id",
    "visits",
    "period_length",
    "period_unit",
    "min_hours",
    "supervision",
    "conditions",
    "details_delegated",
)


class ImmutableRecordError(Exception):
    """Raised when code tries to change or delete a kept version of a ruling."""


class RulingVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError("versions of a ruling cannot be changed")

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRecordError("versions of a ruling cannot be changed")

    def update_or_create(self, *args, **kwargs):
        raise ImmutableRecordError("versions of a ruling cannot be changed")


class VisitationRulingVersion(models.Model):
    """One version of a visitation ruling, as the tribunal's terms stood from `made_at`.

    Never changed or deleted on its own (it goes only with its case): a change of the ruling is
    a new version with the reason for it, e.g. "new decision from the tribunal 12.03.2026" or
    "registration error". Visitation plans point at the version they were checked against.
    """

    ruling = models.ForeignKey(
        VisitationRuling,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("visitation ruling"),
    )
    number = models.PositiveSmallIntegerField(_("version"))
    visitor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    visits = models.PositiveSmallIntegerField(_("at least this many visits"))
    period_length = models.PositiveSmallIntegerField(_("per"))
    period_unit = models.CharField(_("period"), max_length=5, choices=PeriodUnit.choices)
    min_hours = models.DecimalField(_("minimum length (hours)"), max_digits=4, decimal_places=1)
    supervision = models.CharField(_("supervision"), max_length=10, choices=Supervision.choices)
    conditions = models.TextField(_("other conditions"), blank=True)
    details_delegated = models.BooleanField(_("details left to the service"), default=True)
    reason = models.TextField(_("why changed"), blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    made_at = models.DateTimeField(_("registered at"), default=timezone.now)

    objects = RulingVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version of a visitation ruling")
        verbose_name_plural = _("versions of visitation rulings")
        ordering = ["ruling", "-number"]
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["ruling", "number"], name="rulingversion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.ruling_id} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError("versions of a ruling cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("versions of a ruling cannot be deleted")

    @classmethod
    def of(cls, ruling: VisitationRuling, *, number: int, reason: str, made_by):
        """An unsaved version with `ruling`'s terms as they are now."""
        terms = {name: getattr(ruling, name) for name in RULING_TERMS}
        return cls(ruling=ruling, number=number, reason=reason, made_by=made_by, **terms)

    @property
    def frequency_text(self) -> str:
        return VisitationRuling.frequency_text.fget(self)

    @property
    def reason_text(self) -> str:
        """The reason as written; the carried-over versions' fixed reason in the reader's
        language; the first registration has none."""
        if self.reason == CARRIED_OVER_REASON:
            return gettext("Registered before versions were kept")
        return self.reason or (gettext("First registration") if self.number == 1 else "")
