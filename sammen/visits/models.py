"""Visits (samvær): a plan per child and visitor, its sessions, reports, contact and costs."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.cases.models import ChildCase, PeriodUnit, Person, Supervision, VisitationRuling
from sammen.cases.models.decisions import VisitationRulingVersion
from sammen.cases.review import ReviewedReport
from sammen.core import wording
from sammen.core.models import VersionedModel
from sammen.org.models import ServiceUnit

from . import date_rules
from .choices import ExpenseKind, Party, SessionStatus, VisitPlace

USER = settings.AUTH_USER_MODEL


def _said_in_words(exclude, field: str) -> set:
    """`exclude` for `validate_constraints` without the check constraint on `field`'s order:
    `clean()` refuses the same dates in words that name them, and the constraint stays the
    database's guard. `field` is in no other constraint of its model."""
    return {*(exclude or ()), field}


class VisitFlat(VersionedModel):
    """A bookable room for visits (samværsleilighet) of a unit, e.g. "Samværsleiligheten Storgata"."""

    unit = models.ForeignKey(
        ServiceUnit, on_delete=models.PROTECT, related_name="visit_flats", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("visit flat")
        verbose_name_plural = _("visit flats")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="visitflat_unique_name_per_unit")
        ]

    def __str__(self) -> str:
        return self.name


class VisitPlan(models.Model):
    """One version of the visitation plan for the child and one visitor, e.g. the mother.

    A plan is never changed: a new version is a new row with the next `number`, and the old
    versions stay readable. The plan is checked against the ruling in force (`ruling`, and the
    exact version of it, `ruling_version`) when it is saved; for a voluntary placement there
    is no ruling and the plan is agreed with the parents. Example: 1 visit per 2 months,
    2 hours, supervised, in the visit flat.
    """

    case = models.ForeignKey(
        ChildCase, on_delete=models.CASCADE, related_name="visit_plans", verbose_name=_("case")
    )
    visitor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="visit_plans", verbose_name=_("visitor")
    )
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    ruling = models.ForeignKey(
        VisitationRuling,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ruling the plan was checked against"),
    )
    # The exact version of `ruling` the plan was checked against: kept when the ruling changes,
    # so a plan checked against an older version can be found and checked again.
    ruling_version = models.ForeignKey(
        VisitationRulingVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checked_plans",
        verbose_name=_("version of the ruling the plan was checked against"),
    )
    starts_on = models.DateField(_("valid from"))
    evaluate_on = models.DateField(_("evaluate the plan on"))
    visits = models.PositiveSmallIntegerField(_("visits"), validators=[MinValueValidator(1)])
    period_length = models.PositiveSmallIntegerField(
        _("per"), default=1, validators=[MinValueValidator(1)]
    )
    period_unit = models.CharField(_("period"), max_length=5, choices=PeriodUnit.choices)
    hours = models.DecimalField(
        _("length of each visit (hours)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(72)],
    )
    place_kind = models.CharField(_("place"), max_length=12, choices=VisitPlace.choices)
    flat = models.ForeignKey(
        VisitFlat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("visit flat"),
    )
    place_note = models.CharField(_("place in words"), max_length=200, blank=True)
    supervision = models.CharField(_("supervision"), max_length=10, choices=Supervision.choices)
    counsellor = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("family counsellor at the visits"),
    )
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    purposes = models.JSONField(_("purposes of the visits"), default=list)
    transport = models.TextField(_("transport"), blank=True)
    interpreter_needed = models.BooleanField(_("a qualified interpreter takes part"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=60, blank=True)
    language = models.CharField(_("language to be spoken"), max_length=60, blank=True)
    other_contact = models.JSONField(_("other agreed contact"), default=list, blank=True)
    other_contact_note = models.TextField(_("other contact in words"), blank=True)
    agreed_with_parents = models.BooleanField(_("agreed with the parents"), default=False)
    child_view = models.TextField(_("the child's view"), blank=True)
    foster_home_view = models.TextField(_("the foster home's view"), blank=True)
    parents_view = models.TextField(_("the parents' view"), blank=True)
    made_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visitation plan")
        verbose_name_plural = _("visitation plans")
        ordering = ["case", "visitor", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "visitor", "number"], name="visitplan_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(evaluate_on__gte=models.F("starts_on")),
                name="visitplan_evaluated_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(interpreter_needed=True, interpreter_language=""),
                name="visitplan_interpreter_needs_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visitor} v{self.number}"

    def clean(self):
        date_rules.refuse(date_rules.plan_dates(self.starts_on, self.evaluate_on))

    def validate_constraints(self, exclude=None):
        super().validate_constraints(exclude=_said_in_words(exclude, "evaluate_on"))

    @property
    def frequency_text(self) -> str:
        """In words: "every other week", "twice a month" (core.wording)."""
        return wording.frequency_text(self.visits, self.period_length, self.period_unit)

    @property
    def place_text(self) -> str:
        if self.flat_id:
            return str(self.flat)
        return self.place_note or self.get_place_kind_display()


class VisitSession(VersionedModel):
    """One visit: planned, then held, cancelled or missed, with what happened before and after."""

    plan = models.ForeignKey(
        VisitPlan, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("plan")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    counsellor = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_sessions",
        verbose_name=_("family counsellor"),
    )
    flat = models.ForeignKey(
        VisitFlat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("visit flat"),
    )
    place_kind = models.CharField(_("place"), max_length=12, choices=VisitPlace.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    # Before
    prep_parent = models.TextField(_("preparation: talk with the parent"), blank=True)
    prep_foster_home = models.TextField(_("preparation: call to the foster home"), blank=True)
    # During
    language_spoken = models.CharField(_("language spoken"), max_length=60, blank=True)
    mother_tongue_used = models.BooleanField(_("the mother tongue was used"), null=True, blank=True)
    child_reactions = models.TextField(_("the child's reactions"), blank=True)
    parent_contact = models.TextField(_("the parent's contact with the child"), blank=True)
    stopped = models.BooleanField(_("the visit was stopped"), default=False)
    stop_reason = models.TextField(_("what stopped the visit"), blank=True)
    # After
    after_parent = models.TextField(_("after: talk with the parent"), blank=True)
    after_child = models.TextField(_("after: talk with the child"), blank=True)
    foster_home_invited = models.BooleanField(
        _("the foster home was invited to the talk with the child"), null=True, blank=True
    )
    # Cancelled or missed
    cancelled_by = models.CharField(
        _("who cancelled or did not come"), max_length=12, choices=Party.choices, blank=True
    )
    cancel_reason = models.TextField(_("why"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    replaces = models.ForeignKey(
        "self",
        # RESTRICT, not SET_NULL: nulling would write many versioned rows unclaimed. The two
        # visits still go together when their case or plan is deleted.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces the cancelled visit"),
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["counsellor", "starts_at"], name="visitsession_counsellor_time"),
            models.Index(fields=["flat", "starts_at"], name="visitsession_flat_time"),
            # The minimum-met counts and the dashboard count a plan's visits in a period by status.
            models.Index(fields=["plan", "starts_at", "status"], name="visitsession_plan_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="visitsession_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["planned", "held"], cancelled_by="")
                | (models.Q(status__in=["cancelled", "no_show"]) & ~models.Q(cancelled_by="")),
                name="visitsession_cancellation_says_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.case.reference} {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self):
        date_rules.refuse(date_rules.session_times(self.starts_at, self.ends_at))

    def validate_constraints(self, exclude=None):
        super().validate_constraints(exclude=_said_in_words(exclude, "ends_at"))

    @property
    def is_cancelled(self) -> bool:
        return self.status in (SessionStatus.CANCELLED, SessionStatus.NO_SHOW)

    @property
    def holiday(self) -> str | None:
        """The name of the Norwegian public holiday the visit falls on, or None."""
        from .rules import holiday_on

        return holiday_on(self.starts_at) if self.starts_at else None

    @property
    def notice_hours(self) -> int | None:
        """How many whole hours before the start the visit was cancelled (negative: after)."""
        from .rules import notice_hours

        if self.cancelled_at is None:
            return None
        return notice_hours(cancelled_at=self.cancelled_at, starts_at=self.starts_at)


class VisitReport(VersionedModel, ReviewedReport):
    """The counsellor's report on one visit or a period of visits, reviewed and approved."""

    plan = models.ForeignKey(
        VisitPlan, on_delete=models.CASCADE, related_name="reports", verbose_name=_("plan")
    )
    session = models.ForeignKey(
        VisitSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("visit"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    summary = models.TextField(_("how the visits went"))
    assessment = models.TextField(_("assessment"), blank=True)
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("visit report")
        verbose_name_plural = _("visit reports")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="visitreport_period_ordered",
            )
        ]

    @property
    def review_start_kind(self) -> str:
        return "visit" if self.session_id else "period"

    @property
    def review_starts_on(self):
        """The report cannot be gone through with the parent before the visit it is about, or
        before its period begins."""
        if self.session_id:
            return date_rules.local_day(self.session.starts_at)
        return self.period_start

    def clean(self):
        """A report's period has begun and is ordered; a report on one visit is on a visit that
        was held, within the period."""
        errors = date_rules.report_dates(
            self.period_start, self.period_end, today=timezone.localdate()
        )
        if self.session_id:
            errors.update(
                date_rules.report_session(
                    self.session, self.period_start, self.period_end, now=timezone.now()
                )
            )
        date_rules.refuse(errors)

    def validate_constraints(self, exclude=None):
        super().validate_constraints(exclude=_said_in_words(exclude, "period_end"))


class VisitExpense(models.Model):
    """The service's support to the parents around visits, e.g. 480 NOK for the train on 3 May."""

    plan = models.ForeignKey(
        VisitPlan, on_delete=models.CASCADE, related_name="expenses", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ExpenseKind.choices)
    amount = models.DecimalField(
        _("amount (NOK)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(0.01)],
    )
    spent_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("visit expense")
        verbose_name_plural = _("visit expenses")
        ordering = ["-spent_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="visitexpense_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} NOK {self.spent_on:%d.%m.%Y}"

    def clean(self):
        date_rules.refuse(date_rules.expense_date(self.spent_on, today=timezone.localdate()))


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a staff member's iCal feed address; replacing it shuts the old address."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calendar token of {self.user_id}"
