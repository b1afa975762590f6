"""The records of a case that are added and edited through one shared form page."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import forms
from .models import ActionPlan, CarePlan, Person, Placement, TribunalDecision, VisitationRuling


@dataclass(frozen=True)
class CaseRecordKind:
    slug: str
    model: type
    form_class: type
    add_title: str
    edit_title: str
    anchor: str
    case_path: str = "case"
    # A legal record (the tribunal's decision, its visitation ruling): registered and changed
    # only by those `access.policy.can_register_legal_records` allows.
    legal_record: bool = False

    def queryset(self, case):
        return self.model.objects.filter(**{self.case_path: case})


KINDS = {
    kind.slug: kind
    for kind in (
        CaseRecordKind(
            "person", Person, forms.PersonForm, _("Add person"), _("Edit person"), "persons"
        ),
        CaseRecordKind(
            "placement",
            Placement,
            forms.PlacementForm,
            _("Register placement"),
            _("Edit placement"),
            "placements",
        ),
        CaseRecordKind(
            "decision",
            TribunalDecision,
            forms.DecisionForm,
            _("Register tribunal decision"),
            _("Edit tribunal decision"),
            "decisions",
            legal_record=True,
        ),
        CaseRecordKind(
            "ruling",
            VisitationRuling,
            forms.RulingForm,
            _("Add visitation ruling"),
            _("Edit visitation ruling"),
            "decisions",
            case_path="decision__case",
            legal_record=True,
        ),
        CaseRecordKind(
            "careplan",
            CarePlan,
            forms.CarePlanForm,
            _("Add care plan"),
            _("Edit care plan"),
            "plans",
        ),
        CaseRecordKind(
            "actionplan",
            ActionPlan,
            forms.ActionPlanForm,
            _("Add action plan"),
            _("Edit action plan"),
            "plans",
        ),
    )
}
