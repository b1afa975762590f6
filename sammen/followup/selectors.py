"""Reads of the follow-up workflow, always through the case-access policy."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
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


def _reminder_followups(user, followups):
    """The open follow-ups whose deadlines remind `user`: their own as counsellor or caseworker,
    every one they may see as a leader. Shared by `reminders_for` and `overdue_counts`."""
    followups = followups.exclude(state=State.CLOSED)
    if user.role == Role.COUNSELLOR:
        followups = followups.filter(referral__counsellor=user)
    elif user.role == Role.CASEWORKER:
        followups = followups.filter(referral__case__caseworker=user)
    return followups


def _first_conversation_cases(user):
    cases = visible_cases(user, ChildCase.objects.filter(closed_on__isnull=True))
    if user.role == Role.CASEWORKER:
        cases = cases.filter(caseworker=user)
    return cases


def _after_lifting_decisions(user, *, today: date):
    cases = visible_cases(user, ChildCase.objects.all())
    if user.role == Role.CASEWORKER:
        cases = cases.filter(caseworker=user)
    return TribunalDecision.objects.filter(
        case__in=cases, kind=DecisionKind.LIFTING, decided_on__gte=today - timedelta(days=200)
    )


def reminders_for(user, *, today: date):
    """Deadlines this user should act on, earliest first; overdue ones are marked by the page."""
    followups = _reminder_followups(user, followups_visible_to(user))
    followups = followups.annotate(last_report_end=Max("reports__period_end"))
    reminders = _followup_reminders(followups)
    if user.role in (Role.CASEWORKER, Role.SECTION_LEADER):
        reminders += _first_conversation_reminders(user, today=today)
        reminders += _after_lifting_reminders(user, today=today)
    return sorted(reminders, key=lambda r: r.due)


def _followup_reminders(followups) -> list:
    """The deadlines of these follow-ups, in their order: re-offers, reports, frame reviews and
    the end of aftercare. Each follow-up needs its parent, its referral (for the address) and
    `last_report_end` (the latest report's period end) loaded."""
    reminders = []
    for f in followups:
        name = f.parent.full_name
        deadlines = []  # (due, text, the date before a move off a weekend or holiday)
        if f.state == State.DECLINED and f.reoffer_on:
            deadlines.append(
                (f.reoffer_on, _("Offer follow-up again to %(n)s") % {"n": name}, None)
            )
        if f.state == State.ACTIVE and f.started_on and f.report_period_months:
            period = {
                "started_on": f.started_on,
                "period_months": f.report_period_months,
                "last_period_end": f.last_report_end,
            }
            deadlines.append(
                (
                    rules.next_report_due(**period),
                    _("Report due for %(n)s") % {"n": name},
                    rules.next_report_matching(**period),
                )
            )
        if f.frame_review_on and f.state in (State.ACTIVE, State.PAUSED):
            deadlines.append(
                (f.frame_review_on, _("Review the frame for %(n)s") % {"n": name}, None)
            )
        if f.aftercare_until:
            deadlines.append(
                (
                    f.aftercare_until,
                    _("Follow-up after reunification ends for %(n)s") % {"n": name},
                    None,
                )
            )
        if deadlines:
            url = _url(f)  # reversed once per follow-up, not per deadline
            reminders += [
                rules.reminder(due, text, url, matching=matching, case_id=f.referral.case_id)
                for due, text, matching in deadlines
            ]
    return reminders


def _first_conversation_reminders(user, *, today: date):
    """Parents not yet informed whose child was placed in the last two months."""
    cases = _first_conversation_cases(user)
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
                        case_id=placement.case_id,
                    )
                )
    return reminders


def _after_lifting_reminders(user, *, today: date):
    lifted = _after_lifting_decisions(user, today=today)
    return [
        rules.Reminder(
            rules.after_lifting_until(d.decided_on),
            _("Follow-up after the care order was lifted ends (%(ref)s)")
            % {"ref": d.case.reference},
            reverse("cases:overview", args=[d.case_id]),
            case_id=d.case_id,
        )
        for d in lifted.select_related("case")
    ]


OVERDUE_KINDS = (
    "reoffer",
    "report",
    "frame_review",
    "aftercare",
    "first_conversation",
    "after_lifting",
)


def overdue_counts(user, *, today: date) -> dict[str, int]:
    """How many of `reminders_for(user, today=today)` are overdue, by kind, without building them.

    The same follow-ups, cases and deadline rules as `reminders_for`, and the same test (due
    before today; a deadline today is not overdue). Dates that are plain columns are compared in
    the database; deadlines moved off weekends and holidays (reports, first conversations) are
    computed in Python from a narrow `values_list`. Two queries, four for a caseworker or a
    section leader, however many follow-ups there are.
    """
    followups = _reminder_followups(
        user,
        FollowUp.objects.filter(referral__case__in=visible_cases(user, ChildCase.objects.all())),
    )
    reports_due = Q(
        state=State.ACTIVE, started_on__isnull=False, report_period_months__gt=0
    )  # `report_period_months` is truthy in `reminders_for`
    plain = {
        "reoffer": Q(state=State.DECLINED, reoffer_on__lt=today),
        "frame_review": Q(state__in=(State.ACTIVE, State.PAUSED), frame_review_on__lt=today),
        "aftercare": Q(aftercare_until__lt=today),
    }
    counts = dict.fromkeys(OVERDUE_KINDS, 0)
    rows = (
        followups.filter(
            reports_due | plain["reoffer"] | plain["frame_review"] | plain["aftercare"]
        )
        .annotate(
            last_report_end=Subquery(
                FollowUpReport.objects.filter(followup=OuterRef("pk"))
                .order_by("-period_end")
                .values("period_end")[:1]
            ),
            **{f"is_{kind}": ExpressionWrapper(q, BooleanField()) for kind, q in plain.items()},
            is_report=ExpressionWrapper(reports_due, BooleanField()),
        )
        .values_list(
            "started_on",
            "report_period_months",
            "last_report_end",
            "is_report",
            *[f"is_{kind}" for kind in plain],
        )
        .order_by()
    )
    for started_on, months, last_end, is_report, *flags in rows:
        for kind, flag in zip(plain, flags, strict=True):
            counts[kind] += bool(flag)
        if is_report:
            due = rules.next_report_due(
                started_on=started_on, period_months=months, last_period_end=last_end
            )
            counts["report"] += due < today
    if user.role in (Role.CASEWORKER, Role.SECTION_LEADER):
        counts["first_conversation"] = _overdue_first_conversations(user, today=today)
        counts["after_lifting"] = sum(
            rules.after_lifting_until(decided_on) < today
            for decided_on in _after_lifting_decisions(user, today=today).values_list(
                "decided_on", flat=True
            )
        )
    return counts


def _overdue_first_conversations(user, *, today: date) -> int:
    """`_first_conversation_reminders` counted: one per recent placement and uninformed parent."""
    recent = list(
        Placement.objects.filter(
            case__in=_first_conversation_cases(user), start_date__gte=today - timedelta(days=60)
        ).values_list("case_id", "start_date")
    )
    overdue = [case_id for case_id, start in recent if rules.first_conversation_due(start) < today]
    if not overdue:
        return 0
    uninformed = dict(
        Person.objects.filter(case__in=overdue, relation__in=PARENT_RELATIONS)
        .exclude(
            pk__in=Information.objects.filter(followup__parent__case__in=overdue).values(
                "followup__parent_id"
            )
        )
        .values_list("case_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return sum(uninformed.get(case_id, 0) for case_id in overdue)


def my_week(user, *, today: date):
    """«Min uke»: sessions in the next seven days, reports due, overdue items, re-offers.

    The counsellor's open follow-ups are read once, with parent, referral and the latest report's
    period end, and serve the reminders, the sessions and the reports; those two are read by
    follow-up id without joins. Three queries, one when the counsellor has no open follow-up.
    """
    followups = list(
        _visible_followups(user)
        .filter(referral__counsellor=user)
        .exclude(state=State.CLOSED)
        .select_related("parent", "referral")
        .annotate(
            last_report_end=Subquery(
                FollowUpReport.objects.filter(followup=OuterRef("pk"))
                .order_by("-period_end")
                .values("period_end")[:1]
            )
        )
        .order_by()
    )
    # The order of `FollowUp.Meta.ordering`, which `reminders_for` lists them in.
    followups.sort(key=lambda f: (f.parent.relation, f.pk))
    followups.sort(key=lambda f: (f.referral.referred_on, f.referral_id), reverse=True)
    if user.role == Role.COUNSELLOR:
        # `reminders_for` reads the very same follow-ups for a counsellor.
        reminders = sorted(_followup_reminders(followups), key=lambda r: r.due)
    else:
        reminders = reminders_for(user, today=today)
    by_pk = {f.pk: f for f in followups}
    upcoming = _with_followup(
        Contact.objects.filter(
            followup_id__in=by_pk, held_on__gte=today, held_on__lt=today + timedelta(days=7)
        ).order_by("held_on", "id"),
        by_pk,
    )
    reports = _with_followup(
        FollowUpReport.objects.filter(followup_id__in=by_pk)
        .exclude(state=ReviewState.APPROVED)
        .order_by("-period_end", "-id"),
        by_pk,
    )
    return {
        "upcoming": upcoming,
        "overdue": [r for r in reminders if r.is_overdue(today)],
        "ahead": [
            r for r in reminders if not r.is_overdue(today) and r.due <= today + timedelta(days=30)
        ],
        "reports_to_review": reports,
    }


def _visible_followups(user):
    """Follow-ups of the cases `user` may see, nothing joined in."""
    return FollowUp.objects.filter(referral__case__in=visible_cases(user, ChildCase.objects.all()))


def _with_followup(queryset, by_pk: dict) -> list:
    """The rows of `queryset` (of the follow-ups in `by_pk`), each pointed at its follow-up."""
    if not by_pk:
        return []
    rows = list(queryset)
    for row in rows:
        row.followup = by_pk[row.followup_id]
    return rows


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
