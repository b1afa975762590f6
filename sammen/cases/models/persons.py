from django.db import models
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.core.models import VersionedModel

from .. import date_rules as rules
from .case import ChildCase
from .dated import DateRulesMixin, problems


class Relation(models.TextChoices):
    """A person's relation to the child."""

    CHILD = "child", _("The child")
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    ADOPTIVE_PARENT = "adoptive", _("Adoptive parent")
    STEP_PARENT = "step", _("Step-parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other close person")


PARENT_RELATIONS = (Relation.MOTHER, Relation.FATHER, Relation.ADOPTIVE_PARENT)


class Person(DateRulesMixin, VersionedModel):
    """The child or someone close to the child in one case, e.g. the mother, "Amina Berg".

    Each parent is a person of their own, followed up separately. Only what the work needs is
    kept: no identity numbers, no addresses.
    """

    case = models.ForeignKey(
        ChildCase, on_delete=models.CASCADE, related_name="persons", verbose_name=_("case")
    )
    relation = models.CharField(_("relation to the child"), max_length=12, choices=Relation.choices)
    relation_detail = models.CharField(
        _("relation in words"),
        max_length=80,
        blank=True,
        help_text=_("For example 'maternal grandmother' or 'half-brother'."),
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    has_parental_responsibility = models.BooleanField(
        _("has parental responsibility"), default=False
    )
    language = models.CharField(_("main language"), max_length=60, blank=True)
    other_languages = models.CharField(_("other languages"), max_length=200, blank=True)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["case", "relation", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(relation="child"),
                name="person_one_child_per_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(needs_interpreter=True, interpreter_language=""),
                name="person_interpreter_needs_language",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def date_problems(self, skip):
        birth = self.date_of_birth
        found = problems(date_of_birth=(rules.birth_in_future(birth, timezone.localdate()),))
        if found or birth is None or not self.is_child or self.case_id is None:
            return found
        case = self.case
        first_start = case.placements.aggregate(first=Min("start_date"))["first"]
        first_decision = case.decisions.aggregate(first=Min("decided_on"))["first"]
        return problems(
            date_of_birth=(
                rules.child_born_after_opened(birth, case.opened_on),
                rules.child_born_after_placement(birth, first_start),
                rules.child_born_after_decision(birth, first_decision),
            )
        )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_child(self) -> bool:
        return self.relation == Relation.CHILD

    @property
    def is_parent(self) -> bool:
        return self.relation in PARENT_RELATIONS

    @property
    def relation_label(self) -> str:
        label = self.get_relation_display()
        return f"{label} ({self.relation_detail})" if self.relation_detail else label
