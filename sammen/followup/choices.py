"""The words of the follow-up workflow (004 §2.3–2.4; guideline 002 §4; REQUIREMENTS P1, P5, P8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Order(models.TextChoices):
    """What the caseworker orders from the family counsellor (bestilling)."""

    GUIDANCE = "guidance", _("Guidance only")
    AROUND_VISITS = "around_visits", _("Guidance before, during and after visits")
    SUPERVISION = "supervision", _("Supervision of visits")
    MIX = "mix", _("A mix")


class State(models.TextChoices):
    REFERRED = "referred", _("Referred – awaiting approval")
    RETURNED = "returned", _("Returned to the caseworker")
    APPROVED = "approved", _("Approved – awaiting a counsellor")
    ASSIGNED = "assigned", _("Assigned – inform and ask for consent")
    DECLINED = "declined", _("Declined – to be offered again")
    CONSENTED = "consented", _("Consent given – start-up")
    ACTIVE = "active", _("Active follow-up")
    PAUSED = "paused", _("Paused – consent withdrawn")
    CLOSED = "closed", _("Closed")


class ConsentKind(models.TextChoices):
    GIVEN = "given", _("Consent given")
    DECLINED = "declined", _("Offer declined")
    WITHDRAWN = "withdrawn", _("Consent withdrawn")


class Phase(models.TextChoices):
    """Falch-Eriksen's phases for parents who lost care (004 §1.1)."""

    CRISIS = "crisis", _("Crisis")
    WAITING = "waiting", _("Waiting and change")
    LONG_CARE = "long_care", _("The long care (second crisis)")


class Channel(models.TextChoices):
    MEETING = "meeting", _("In a meeting")
    HOME = "home", _("Home visit")
    PHONE = "phone", _("By phone")
    LETTER = "letter", _("By letter")


class InformationTopic(models.TextChoices):
    """What parents should be told (guideline 002, REQUIREMENTS P5)."""

    PLACEMENT = "placement", _("Grounds, content and consequences of the placement")
    RIGHTS = "rights", _("Rights and duties, complaints and access to documents (innsyn)")
    CHILD = "child", _("How the child is doing: home, school, leisure")
    HELP = "help", _("Help available: NAV, health, addiction care, family counselling")
    ASSESSMENT = "assessment", _("The service's assessment and what is needed for return")
    WHO_DECIDES = "who_decides", _("Who decides what (school, religion, health, name)")
    CONCERNS = "concerns", _("How to raise concerns about the foster home or institution")


class FirstConversationPoint(models.TextChoices):
    """Purposes of the first conversation (guideline 002, REQUIREMENTS P8)."""

    INTRODUCE = "introduce", _("Introduced ourselves and asked how the parent is")
    CHILD_NEWS = "child_news", _("Told how the child is doing")
    VISITS = "visits", _("Encouraged keeping the visit agreement; practical help")
    ACKNOWLEDGE = "acknowledge", _("Acknowledged and supported the parent")
    WANTS = "wants", _("Clarified what the parent wants help with")
    ROLES = "roles", _("Explained the helper and controller roles")
    GUIDANCE_ROLE = "guidance_role", _("Clarified the service's role in further guidance")
    REGULAR = "regular", _("Offered regular contact")


class MeetingKind(models.TextChoices):
    INTERNAL = "internal", _("Internal discussion meeting")
    JOINT = "joint", _("Joint start meeting with the parent")


class WithWhom(models.TextChoices):
    PARENT = "parent", _("The parent")
    BOTH_PARENTS = "both", _("Both parents")
    FOSTER_PARENTS = "foster", _("Foster parents")
    GRANDPARENTS = "grandparents", _("Grandparents")
    CHILD = "child", _("The child")
    OTHER = "other", _("Others")


class Place(models.TextChoices):
    """Where the parent chose to meet."""

    OFFICE = "office", _("Office")
    HOME = "home", _("The parent's home")
    NEUTRAL = "neutral", _("Neutral place")
    PHONE = "phone", _("Phone or video")


class Method(models.TextChoices):
    CONVERSATION = "conversation", _("Supportive conversation")
    COSP = "cosp", _("Circle of Security Parenting (COS-P)")
    EMOTION = "emotion", _("Emotion-focused parenting guidance")
    TRAUMA = "trauma", _("Trauma-informed care")
    PYC = "pyc", _("PYC (parents with cognitive difficulties)")
    ICDP = "icdp", _("ICDP")
    MARTE_MEO = "marte_meo", _("Marte Meo")
    PRACTICAL = "practical", _("Practical help")
    OTHER = "other", _("Other")


class Service(models.TextChoices):
    NAV = "nav", _("NAV")
    DPS = "dps", _("DPS (adult mental health)")
    FAMILY_COUNSELLING = "familievern", _("Family counselling office")
    HOUSING = "housing", _("Housing office")
    GP = "gp", _("GP")
    ADDICTION = "addiction", _("Addiction care")
    OTHER = "other", _("Other service")


class ClosureReason(models.TextChoices):
    REUNIFIED = "reunified", _("The child has moved home")
    NOT_NEEDED = "not_needed", _("No longer needed")
    WITHDREW = "withdrew", _("The parent withdrew")
    NOT_HELPFUL = "not_helpful", _("Not expected to help")
