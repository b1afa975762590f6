from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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
        return _("%(visits)s per %(length)s %(unit)s") % {
            "visits": self.visits,
            "length": self.period_length,
            "unit": self.get_period_unit_display(),
        }
