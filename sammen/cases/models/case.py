from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.core.models import VersionedModel
from sammen.org.models import Section

from .. import date_rules as rules
from .dated import DateRulesMixin, child_birth_of, problems


class PetitionStatus(models.TextChoices):
    """Whether the case is heading for the tribunal with a care-order petition."""

    NONE = "none", _("Not heading for the tribunal")
    PREPARING = "preparing", _("Care-order petition being prepared")
    SENT = "sent", _("Care-order petition sent to the tribunal")


class ChildCase(DateRulesMixin, VersionedModel):
    """A child's case (barnesak), e.g. reference "BV-2025-0042" in the section for care.

    The child and the people around the child are `Person` rows of the case. The team is the
    caseworker plus the counsellors listed here; section leader and programme lead join through
    the section.
    """

    reference = models.CharField(_("case reference"), max_length=20, unique=True)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="cases", verbose_name=_("section")
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_as_caseworker",
        verbose_name=_("caseworker"),
    )
    counsellors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="cases_as_counsellor",
        verbose_name=_("family counsellors"),
    )
    opened_on = models.DateField(_("opened"))
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    petition_status = models.CharField(
        _("tribunal"),
        max_length=10,
        choices=PetitionStatus.choices,
        default=PetitionStatus.NONE,
    )
    petition_date = models.DateField(_("petition date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("child case")
        verbose_name_plural = _("child cases")
        ordering = ["-opened_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="childcase_closed_after_opened",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def date_problems(self, skip):
        today = timezone.localdate()
        opened = None if "opened_on" in skip else self.opened_on
        return problems(
            opened_on=(
                rules.case_opened_in_future(opened, today),
                rules.case_opened_before_birth(opened, child_birth_of(self)),
            ),
            closed_on=(
                rules.case_closed_before_opened(self.closed_on, opened),
                rules.case_closed_in_future(self.closed_on, today),
            ),
            petition_date=(
                rules.petition_before_opened(self.petition_date, opened),
                rules.petition_sent_in_future(
                    self.petition_date, self.petition_status == PetitionStatus.SENT, today
                ),
            ),
        )

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def is_heading_for_tribunal(self) -> bool:
        return self.petition_status != PetitionStatus.NONE
