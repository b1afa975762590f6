"""Time and travel log: hours by activity and kilometres driven, per counsellor and case (004 §6.1)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sammen.cases.models import ChildCase
from sammen.core.models import VersionedModel


class Activity(models.TextChoices):
    """The activities the evaluation logged time by (004 figure 6.2)."""

    VISIT = "visit", _("Visit (samvær)")
    GUIDANCE_MOTHER = "guidance_mother", _("Guidance of the mother")
    GUIDANCE_FATHER = "guidance_father", _("Guidance of the father")
    GUIDANCE_FOSTER = "guidance_foster", _("Guidance of the foster parents")
    PLANNING = "planning", _("Planning and coordination")
    TRAVEL = "travel", _("Travel")
    OTHER = "other", _("Other")


class TimeEntry(VersionedModel):
    """Time one counsellor spent on one case on one day, e.g. 1.5 h guidance of the mother, 12 km.

    `contact` is set when the entry was made from a follow-up contact and `visit_session` when it
    was made from a visit; the database holds at most one entry per contact and per visit, so
    the same hours are never counted twice; an entry starts from one of them at most. Both links
    are SET_NULL: the hours are a copy the counsellor checked, so they stay logged if the contact
    or visit is later deleted (with its plan, say), and a link must never stop a plan or case
    from being deleted.
    `section` is the case's section at the time of entry, kept so the leaders' aggregates need
    no join through the case.
    """

    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="time_entries",
        verbose_name=_("family counsellor"),
    )
    case = models.ForeignKey(
        ChildCase, on_delete=models.CASCADE, related_name="time_entries", verbose_name=_("case")
    )
    section = models.ForeignKey(
        "org.Section", on_delete=models.PROTECT, related_name="+", editable=False
    )
    worked_on = models.DateField(_("date"))
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))],
    )
    km = models.DecimalField(
        _("kilometres driven"),
        max_digits=7,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("2000"))],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    contact = models.ForeignKey(
        "followup.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="time_entries",
        verbose_name=_("from the contact"),
    )
    visit_session = models.ForeignKey(
        "visits.VisitSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="time_entries",
        verbose_name=_("from the visit"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["-worked_on", "-id"]
        indexes = [
            # Covers the leaders' sums by activity: read from the index alone, never the table.
            models.Index(
                fields=["section", "worked_on", "activity", "hours", "km", "case"],
                name="timeentry_section_date",
            ),
            models.Index(fields=["counsellor", "worked_on"], name="timeentry_counsellor_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=0) & models.Q(km__gte=0),
                name="timeentry_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) | models.Q(km__gt=0),
                name="timeentry_hours_or_km",
            ),
            models.CheckConstraint(
                condition=models.Q(contact__isnull=True) | models.Q(visit_session__isnull=True),
                name="timeentry_one_source",
            ),
            models.UniqueConstraint(
                fields=["contact"],
                condition=models.Q(contact__isnull=False),
                name="timeentry_one_per_contact",
            ),
            models.UniqueConstraint(
                fields=["visit_session"],
                condition=models.Q(visit_session__isnull=False),
                name="timeentry_one_per_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worked_on} {self.get_activity_display()} {self.hours} h"
