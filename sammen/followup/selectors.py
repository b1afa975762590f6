"""Reads of the follow-up workflow, always through the case-access policy."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from sammen.access.policy import visible_cases
from sammen.cases.models import ChildCase, Person, Placement, PlacementKind, TribunalDecision
from sammen.cases.models.decisions import DecisionKind
from sammen.cases.models.persons import PARENT_RELATIONS
from sammen.cases.review import ReviewState
from sammen.org.models import Role, User

from . import rules
from .choices import ConsentKind, State
from .models import Contact, FollowUp, FollowUpReport, Information


def followups_visible_to(user):
    """Follow-ups of cases the user may see, with case, parent and counsellor loaded."""
    cases = visible_cases(user, ChildCase.objects.all())
    return FollowUp.objects.filter(referral__case__in=cases).select_related(
        "parent",
        "referral__case__section__unit",
        "referral__counsellor",
        "referral__case__caseworker",
    )


def counsellor_load(unit_id: int):
    """Each counsellor of the unit with the number of families (cases) they carry now."""
    return (
        User.objects.filter(unit_id=unit_id, role=Role.COUNSELLOR, is_active=True)
        .annotate(
            families=Count(
                "assigned_referrals__case",
                filter=Q(assigned_referrals__followups__state__in=rules.CARRIED_STATES),
                distinct=True,
            )
        )
        .order_by("families", "first_name")
    )


def referral_queue(user):
    """What waits for this user: approvals for a section leader, assignments for a programme lead."""
    followups = followups_visible_to(user)
    if user.role == Role.SECTION_LEADER:
        return followups.filter(state=State.REFERRED, referral__case__section_id=user.section_id)
    if user.role == Role.PROGRAMME_LEAD:
        return followups.filter(state=State.APPROVED, referral__case__section__unit_id=user.unit_id)
    if user.role == Role.CASEWORKER:
        return followups.filter(state=State.RETURNED, referral__case__caseworker=user)
    return followups.none()


def followup_detail(followup: FollowUp):
    """The follow-up with its history, in a fixed number of queries."""
    return (
        FollowUp.objects.filter(pk=followup.pk)
        .select_related(
            "parent",
            "referral__case__section__unit",
            "referral__counsellor",
            "referral__referred_by",
        )
        .prefetch_related(
            Prefetch("information", queryset=Information.objects.select_related("recorded_by")),
            "consents__recorded_by",
            "meetings__recorded_by",
            Prefetch("contacts", queryset=Contact.objects.select_related("recorded_by")),
            "phases",
            "living_conditions",
            "service_referrals",
            Prefetch(
                "reports",
                queryset=FollowUpReport.objects.select_related("approved_by", "written_by"),
            ),
        )
        .get()
    )


def _url(followup):
    return reverse("followup:detail", args=[followup.referral.case_id, followup.pk])


def reminders_for(user, *, today: date):
    """Deadlines this user should act on, earliest first; overdue ones are marked by the page."""
    reminders = []
    followups = followups_visible_to(user).exclude(state=State.CLOSED)
    if user.role == Role.COUNSELLOR:
        followups = followups.filter(referral__counsellor=user)
    elif user.role == Role.CASEWORKER:
        followups = followups.filter(referral__case__caseworker=user)
    followups = followups.annotate(last_report_end=Max("reports__period_end"))
    for f in followups:
        name = f.parent.full_name
        if f.state == State.DECLINED and f.reoffer_on:
            reminders.append(
                rules.Reminder(
                    f.reoffer_on, _("Offer follow-up again to %(n)s") % {"n": name}, _url(f)
                )
            )
        if f.state == State.ACTIVE and f.started_on and f.report_period_months:
            period = {
                "started_on": f.started_on,
                "period_months": f.report_period_months,
                "last_period_end": f.last_report_end,
            }
            reminders.append(
                rules.reminder(
                    rules.next_report_due(**period),
                    _("Report due for %(n)s") % {"n": name},
                    _url(f),
                    matching=rules.next_report_matching(**period),
                )
            )
        if f.frame_review_on and f.state in (State.ACTIVE, State.PAUSED):
            reminders.append(
                rules.Reminder(
                    f.frame_review_on, _("Review the frame for %(n)s") % {"n": name}, _url(f)
                )
            )
        if f.aftercare_until:
            reminders.append(
                rules.Reminder(
                    f.aftercare_until,
                    _("Follow-up after reunification ends for %(n)s") % {"n": name},
                    _url(f),
                )
            )
    if user.role in (Role.CASEWORKER, Role.SECTION_LEADER):
        reminders += _first_conversation_reminders(user, today=today)
        reminders += _after_lifting_reminders(user, today=today)
    return sorted(reminders, key=lambda r: r.due)


def _first_conversation_reminders(user, *, today: date):
    """Parents not yet informed whose child was placed in the last two months."""
    cases = visible_cases(user, ChildCase.objects.filter(closed_on__isnull=True))
    if user.role == Role.CASEWORKER:
        cases = cases.filter(caseworker=user)
    recent = Placement.objects.filter(
        case__in=cases, start_date__gte=today - timedelta(days=60)
    ).select_related("case")
    parents = Person.objects.filter(
        case__in=[p.case_id for p in recent], relation__in=PARENT_RELATIONS
    )
    informed = set(
        Information.objects.filter(followup__parent__in=parents).values_list(
            "followup__parent_id", flat=True
        )
    )
    reminders = []
    for placement in recent:
        for parent in parents:
            if parent.case_id == placement.case_id and parent.pk not in informed:
                reminders.append(
                    rules.reminder(
                        rules.first_conversation_due(placement.start_date),
                        _("Offer %(n)s a conversation after the placement (%(ref)s)")
                        % {"n": parent.full_name, "ref": placement.case.reference},
                        reverse("cases:overview", args=[placement.case_id]),
                        matching=rules.first_conversation_matching(placement.start_date),
                    )
                )
    return reminders


def _after_lifting_reminders(user, *, today: date):
    cases = visible_cases(user, ChildCase.objects.all())
    if user.role == Role.CASEWORKER:
        cases = cases.filter(caseworker=user)
    lifted = TribunalDecision.objects.filter(
        case__in=cases, kind=DecisionKind.LIFTING, decided_on__gte=today - timedelta(days=200)
    )
    return [
        rules.Reminder(
            rules.after_lifting_until(d.decided_on),
            _("Follow-up after the care order was lifted ends (%(ref)s)")
            % {"ref": d.case.reference},
            reverse("cases:overview", args=[d.case_id]),
        )
        for d in lifted.select_related("case")
    ]


def my_week(user, *, today: date):
    """«Min uke»: sessions in the next seven days, reports due, overdue items, re-offers."""
    followups = (
        followups_visible_to(user).filter(referral__counsellor=user).exclude(state=State.CLOSED)
    )
    upcoming = (
        Contact.objects.filter(
            followup__in=followups, held_on__gte=today, held_on__lt=today + timedelta(days=7)
        )
        .select_related("followup__parent", "followup__referral__case")
        .order_by("held_on")
    )
    reminders = reminders_for(user, today=today)
    return {
        "upcoming": list(upcoming),
        "overdue": [r for r in reminders if r.is_overdue(today)],
        "ahead": [
            r for r in reminders if not r.is_overdue(today) and r.due <= today + timedelta(days=30)
        ],
        "reports_to_review": FollowUpReport.objects.filter(followup__in=followups)
        .exclude(state=ReviewState.APPROVED)
        .select_related("followup__parent"),
    }


@dataclass
class OfferRow:
    parent: Person
    case: ChildCase
    status: str
    reoffer_on: date | None = None


def offer_overview(user, *, today: date):
    """Every parent of a child under a care order or heading for the tribunal, and their offer."""
    active_care_order = Placement.objects.filter(
        kind=PlacementKind.CARE_ORDER, start_date__lte=today
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    cases = visible_cases(user, ChildCase.objects.filter(closed_on__isnull=True)).filter(
        Q(pk__in=active_care_order.values("case_id")) | ~Q(petition_status="none")
    )
    parents = (
        Person.objects.filter(case__in=cases, relation__in=PARENT_RELATIONS)
        .select_related("case__section")
        .prefetch_related("followups__consents")
        .order_by("case__reference", "relation")
    )
    rows = []
    for parent in parents:
        followups = list(parent.followups.all())
        consents = [c for f in followups for c in f.consents.all()]
        if not followups:
            status, reoffer = "never", None
        elif any(c.kind == ConsentKind.GIVEN for c in consents):
            status, reoffer = "accepted", None
        elif any(f.state == State.DECLINED for f in followups):
            status = "declined"
            reoffer = next((f.reoffer_on for f in followups if f.state == State.DECLINED), None)
        else:
            status, reoffer = "offered", None
        rows.append(OfferRow(parent=parent, case=parent.case, status=status, reoffer_on=reoffer))
    return rows
