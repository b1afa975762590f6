"""Settings leaders keep for the insight pages: the rates of the cost comparison."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sammen.core.models import VersionedModel

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class CostRates(VersionedModel):
    """The rates a unit compares its own staff with private providers by (004 §6, 2025 NOK).

    Defaults are the evaluation's: private 1 240 NOK/h and 6.0 NOK/km, own staff 400 NOK/h and
    3.1 NOK/km; the project budget 12 025 000 NOK over 30 months.
    """

    unit = models.OneToOneField(
        "org.ServiceUnit",
        on_delete=models.CASCADE,
        related_name="cost_rates",
        verbose_name=_("unit"),
    )
    private_hourly = models.DecimalField(
        _("private provider, NOK per hour"), default=Decimal("1240"), **MONEY
    )
    private_per_km = models.DecimalField(
        _("private provider, NOK per km"), default=Decimal("6.0"), **MONEY
    )
    own_hourly = models.DecimalField(_("own staff, NOK per hour"), default=Decimal("400"), **MONEY)
    own_per_km = models.DecimalField(_("own staff, NOK per km"), default=Decimal("3.1"), **MONEY)
    budget_amount = models.DecimalField(
        _("project budget, NOK"), default=Decimal("12025000"), **MONEY
    )
    budget_months = models.PositiveSmallIntegerField(
        _("project budget covers (months)"), default=30, validators=[MinValueValidator(1)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cost rates")
        verbose_name_plural = _("cost rates")

    def __str__(self) -> str:
        return f"{self.unit}: {self.private_hourly}/{self.own_hourly}"
