"""The words of the visits workflow (samvær; guideline 002 §4.5.5, evaluation 004 §2.4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """Why the child and the visitor meet; a plan has one or more."""

    ASSESS = "assess", _("Assess contact with a view to reunification")
    ATTACHMENT = "attachment", _("Keep attachment with a view to reunification")
    BONDS = "bonds", _("Keep family bonds when the child is not to return")
    LOSS = "loss", _("Help the child with loss and give a realistic picture of the parents")


class VisitPlace(models.TextChoices):
    FLAT = "flat", _("Visit flat")
    FOSTER_HOME = "foster_home", _("The foster home")
    PARENT_HOME = "parent_home", _("The parent's home")
    OFFICE = "office", _("The service's office")
    ACTIVITY = "activity", _("Activity outside")
    OTHER = "other", _("Other place")


class OtherContact(models.TextChoices):
    """Contact besides visits, agreed in the plan (useful where visits are hard)."""

    PHONE = "phone", _("Phone or video calls")
    LETTERS = "letters", _("Letters")
    CARDS = "cards", _("Cards")
    PHOTOS = "photos", _("Photos")
    EMAIL = "email", _("E-mail")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Every N weeks")
    MONTHLY = "monthly", _("Every N months")


class OnHolidays(models.TextChoices):
    """What a generated series does with visits that fall on Norwegian public holidays."""

    SKIP = "skip", _("Skip public holidays")
    FLAG = "flag", _("Keep them, but mark them")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not happen: someone did not come")


class Party(models.TextChoices):
    """Who cancelled a visit, or did not come."""

    PARENT = "parent", _("The parent or visitor")
    CHILD = "child", _("The child")
    FOSTER_HOME = "foster_home", _("The foster home")
    SERVICE = "service", _("The service")
    OTHER = "other", _("Other")


class ExpenseKind(models.TextChoices):
    """The service's support to the parents around visits."""

    TRAVEL = "travel", _("Travel")
    FOOD = "food", _("Food")
    ACTIVITY = "activity", _("Activities")
    OVERNIGHT = "overnight", _("Overnight stay")


class Recipient(models.TextChoices):
    """Who a copy of the plan is made for."""

    VISITOR = "visitor", _("The visitor")
    CHILD = "child", _("The child")
    FOSTER_HOME = "foster_home", _("The foster home")
    PARENTS = "parents", _("The other parent")
    CASE = "case", _("The case file")
