"""Pure rules of the time log."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sammen.cases.models.persons import Relation
from sammen.followup.choices import WithWhom

from .models import Activity


def hours_from_minutes(minutes: int | Decimal) -> Decimal:
    """A contact's minutes as hours with two decimals, e.g. 90 → 1.50."""
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def hours_between(starts_at: datetime, ends_at: datetime) -> Decimal:
    """A visit's length as hours with two decimals, rounded as `hours_from_minutes`: 17:00–18:50 → 1.83."""
    seconds = (ends_at - starts_at).total_seconds()
    return hours_from_minutes(Decimal(round(seconds)) / Decimal(60))


def activity_for_contact(*, with_whom: str, parent_relation: str) -> str:
    """The activity a follow-up contact most likely was: guidance of the parent it was with."""
    if with_whom == WithWhom.FOSTER_PARENTS:
        return Activity.GUIDANCE_FOSTER
    if with_whom in (WithWhom.PARENT, WithWhom.BOTH_PARENTS):
        if parent_relation == Relation.FATHER:
            return Activity.GUIDANCE_FATHER
        return Activity.GUIDANCE_MOTHER
    return Activity.OTHER
