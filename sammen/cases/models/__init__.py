from .case import ChildCase, PetitionStatus
from .decisions import (
    PeriodUnit,
    Supervision,
    TribunalDecision,
    TribunalDecisionVersion,
    VisitationRuling,
    VisitationRulingVersion,
)
from .legal import LegalReference
from .persons import Person, Relation
from .placements import PlaceKind, Placement, PlacementKind, PlacementPlace
from .plans import ActionPlan, CarePlan, CarePlanKind

__all__ = [
    "ActionPlan",
    "CarePlan",
    "CarePlanKind",
    "ChildCase",
    "LegalReference",
    "PeriodUnit",
    "PetitionStatus",
    "Person",
    "PlaceKind",
    "Placement",
    "PlacementKind",
    "PlacementPlace",
    "Relation",
    "Supervision",
    "TribunalDecision",
    "TribunalDecisionVersion",
    "VisitationRuling",
    "VisitationRulingVersion",
]
