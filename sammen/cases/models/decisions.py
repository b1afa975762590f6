from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sammen.core import wording
from sammen.core.models import VersionedModel

from .. import date_rules as rules
from .case import ChildCase
from .dated import DateRulesMixin, child_birth_of, problems
from .legal import LegalReference
from .persons import Person


class DecisionKind(models.TextChoices):
    EMERGENCY_APPROVAL = "emergency", _("Approval of emergency decision")
    CARE_ORDER = "care_order", _("Care order")
    VISITATION = "visitation", _("Visitation (contact) only")
    LIFTING = "lifting", _("Lifting of care order")
    OTHER = "other", _("Other decision")


class DecisionTerms(models.Model):
    """What the tribunal decided: held by the decision as it stands and by each kept version."""

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
        abstract = True


class TribunalDecision(DateRulesMixin, VersionedModel, DecisionTerms):
    """A decision of the tribunal (barneverns- og helsenemnda) in the case.

    The row holds the decision as registered now (the current version, `number`); every
    version, the first included, is kept as an unchangeable `TribunalDecisionVersion` with who
    registered it, when and why. A change is made only through `cases.services.decision_save`.
    """

    case = models.ForeignKey(
        ChildCase, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("case")
    )
    number = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("tribunal decision")
        verbose_name_plural = _("tribunal decisions")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on:%d.%m.%Y}"

    def date_problems(self, skip):
        case = self.case if self.case_id else None
        return problems(
            decided_on=(
                rules.decision_in_future(self.decided_on, timezone.localdate()),
                rules.decision_before_birth(self.decided_on, child_birth_of(case)),
            )
        )


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


# The terms of a tribunal decision that each version keeps.
DECISION_TERMS = ("decided_on", "kind", "legal_basis_id", "summary", "appealed")


class ImmutableRecordError(Exception):
    """Raised when code tries to change or delete a kept version of a legal record."""


class KeptVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError("kept versions of a legal record cannot be changed")

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRecordError("kept versions of a legal record cannot be changed")

    def update_or_create(self, *args, **kwargs):
        raise ImmutableRecordError("kept versions of a legal record cannot be changed")


class KeptVersion(models.Model):
    """One version of a legal record (a tribunal decision, a visitation ruling), as its terms
    stood from `made_at`, with who registered it and why.

    Never changed or deleted on its own (it goes only with its case): a change of the record is
    a new version with the reason for it. A subclass names its record's foreign key
    (`record_field`) and the terms it keeps (`TERMS`, attribute names of the record);
    `cases.services` numbers and writes the versions.
    """

    record_field: str = ""
    TERMS: tuple[str, ...] = ()

    number = models.PositiveSmallIntegerField(_("version"))
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

    objects = KeptVersionQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{getattr(self, f'{self.record_field}_id')} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError("kept versions of a legal record cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("kept versions of a legal record cannot be deleted")

    @classmethod
    def of(cls, record, *, number: int, reason: str, made_by):
        """An unsaved version with `record`'s terms as they are now."""
        terms = {name: getattr(record, name) for name in cls.TERMS}
        return cls(
            **{cls.record_field: record}, number=number, reason=reason, made_by=made_by, **terms
        )

    @classmethod
    def current_of(cls, record):
        """The kept version of `record`'s terms in force (None for a record kept without)."""
        return cls.objects.filter(
            **{f"{cls.record_field}_id": record.pk, "number": record.number}
        ).first()

    def has_terms_of(self, record) -> bool:
        return all(getattr(self, name) == getattr(record, name) for name in self.TERMS)

    @property
    def reason_text(self) -> str:
        """The reason as written; the carried-over versions' fixed reason in the reader's
        language; the first registration has none."""
        if self.reason == CARRIED_OVER_REASON:
            return gettext("Registered before versions were kept")
        return self.reason or (gettext("First registration") if self.number == 1 else "")


class TribunalDecisionVersion(KeptVersion, DecisionTerms):
    """One version of a tribunal decision as registered, e.g. version 2 after the decision was
    appealed to the district court, with the reason "appealed 03.12.2026"."""

    record_field = "decision"
    TERMS = DECISION_TERMS

    decision = models.ForeignKey(
        TribunalDecision,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("tribunal decision"),
    )

    class Meta:
        verbose_name = _("version of a tribunal decision")
        verbose_name_plural = _("versions of tribunal decisions")
        ordering = ["decision", "-number"]
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="decisionversion_unique"),
        ]


class VisitationRulingVersion(KeptVersion):
    """One version of a visitation ruling, as the tribunal's terms stood from `made_at`.

    Never changed or deleted on its own (it goes only with its case): a change of the ruling is
    a new version with the reason for it, e.g. "new decision from the tribunal 12.03.2026" or
    "registration error". Visitation plans point at the version they were checked against.
    """

    record_field = "ruling"
    TERMS = RULING_TERMS

    ruling = models.ForeignKey(
        VisitationRuling,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("visitation ruling"),
    )
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

    class Meta:
        verbose_name = _("version of a visitation ruling")
        verbose_name_plural = _("versions of visitation rulings")
        ordering = ["ruling", "-number"]
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["ruling", "number"], name="rulingversion_unique"),
        ]

    @property
    def frequency_text(self) -> str:
        return VisitationRuling.frequency_text.fget(self)
