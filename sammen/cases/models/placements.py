from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.core.models import VersionedModel
from sammen.org.models import ServiceUnit

from .. import date_rules as rules
from .case import ChildCase
from .dated import DateRulesMixin, child_birth_of, problems
from .legal import LegalReference


class PlaceKind(models.TextChoices):
    EMERGENCY_HOME = "emergency_home", _("Emergency foster home")
    FOSTER_HOME = "foster_home", _("Foster home")
    INSTITUTION = "institution", _("Institution")


class PlacementPlace(VersionedModel):
    """A home or institution children are placed in, e.g. the foster home "Fosterhjem Lien"."""

    unit = models.ForeignKey(
        ServiceUnit, on_delete=models.PROTECT, related_name="places", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("placement place")
        verbose_name_plural = _("placement places")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="place_unique_name_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display().lower()})"


class PlacementKind(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency placement")
    VOLUNTARY = "voluntary", _("Voluntary placement")
    CARE_ORDER = "care_order", _("Care order")

    @property
    def legal_key(self) -> str:
        return f"placement.{self.value}"


class Placement(DateRulesMixin, VersionedModel):
    """A period the child lives outside the home, e.g. a care order in a foster home from 3 March."""

    case = models.ForeignKey(
        ChildCase, on_delete=models.CASCADE, related_name="placements", verbose_name=_("case")
    )
    kind = models.CharField(_("kind of placement"), max_length=12, choices=PlacementKind.choices)
    place = models.ForeignKey(
        PlacementPlace, on_delete=models.PROTECT, related_name="placements", verbose_name=_("place")
    )
    legal_basis = models.ForeignKey(
        LegalReference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legal basis"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date:%d.%m.%Y}"

    def date_problems(self, skip):
        start = None if "start_date" in skip else self.start_date
        case = self.case if self.case_id else None
        return problems(
            start_date=(rules.placement_starts_before_birth(start, child_birth_of(case)),),
            end_date=(
                rules.placement_ends_before_start(start, self.end_date),
                rules.placement_end_too_far_ahead(self.end_date, timezone.localdate()),
            ),
        )

    def is_active_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)
