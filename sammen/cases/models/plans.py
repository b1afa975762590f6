from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.core.models import VersionedModel

from .. import date_rules as rules
from .case import ChildCase
from .dated import DateRulesMixin, problems
from .decisions import TribunalDecision


class CarePlanKind(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary care plan")
    FINAL = "final", _("Final care plan")


class CarePlan(DateRulesMixin, VersionedModel):
    """A care plan (omsorgsplan): preliminary at the care order, final within two years."""

    case = models.ForeignKey(
        ChildCase, on_delete=models.CASCADE, related_name="care_plans", verbose_name=_("case")
    )
    kind = models.CharField(_("kind of plan"), max_length=12, choices=CarePlanKind.choices)
    decision = models.ForeignKey(
        TribunalDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_plans",
        verbose_name=_("care-order decision"),
    )
    made_on = models.DateField(_("date of plan"))
    child_needs = models.TextField(_("the child's needs"), blank=True)
    parent_followup = models.TextField(_("follow-up of the parents"), blank=True)
    parents_views = models.TextField(_("the parents' own views"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)

    class Meta:
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        ordering = ["-made_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.made_on:%d.%m.%Y}"

    def date_problems(self, skip):
        made = None if "made_on" in skip else self.made_on
        decided = None
        if self.kind == CarePlanKind.FINAL and self.decision_id and "decision" not in skip:
            decided = self.decision.decided_on
        return problems(
            made_on=(
                rules.care_plan_in_future(made, timezone.localdate()),
                rules.final_care_plan_before_care_order(made, decided),
            ),
            next_review_on=(rules.care_plan_review_not_after_plan(self.next_review_on, made),),
        )


class ActionPlan(DateRulesMixin, VersionedModel):
    """An action plan (tiltaksplan) for voluntary measures; always time-limited."""

    case = models.ForeignKey(
        ChildCase, on_delete=models.CASCADE, related_name="action_plans", verbose_name=_("case")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    goals = models.TextField(_("goals"))
    measures = models.TextField(_("measures"), blank=True)
    evaluated_on = models.DateField(_("evaluated"), null=True, blank=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="actionplan_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"

    def date_problems(self, skip):
        start = None if "starts_on" in skip else self.starts_on
        return problems(
            ends_on=(rules.action_plan_ends_before_start(start, self.ends_on),),
            evaluated_on=(
                rules.evaluation_before_start(self.evaluated_on, start),
                rules.evaluation_in_future(self.evaluated_on, timezone.localdate()),
            ),
        )
