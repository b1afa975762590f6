"""Reads of the follow-up workflow, always through the case-access policy."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.access.policy import visible_case_ids, visible_cases
from sammen.cases import rules as case_rules
from sammen.cases.models import (
    CarePlan,
    CarePlanKind,
    ChildCase,
    Person,
    PetitionStatus,
    Placement,
    PlacementKind,
    TribunalDecision,
)
from sammen.cases.models.decisions import DecisionKind
from sammen.cases.models.persons import PARENT_RELATIONS
from sammen.cases.review import ReviewState
from sammen.core import dates
from sammen.org.models import Role, User
from sammen.visits.selectors import week_sessions

from . import rules
from .choices import ConsentKind, Order, State
from .models import Contact, ContactRevision, FollowUp, FollowUpReport, Information


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
            Prefetch(
                "contacts",
                queryset=Contact.objects.select_related("recorded_by").prefetch_related(
                    "time_entries"
                ),
            ),
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


# Two ids no row has, reversed into an address to mark where the real ids go.
_CASE_MARK, _FOLLOWUP_MARK = 918273645, 546372819


def _followup_url_maker():
    """A function (case_id, followup_id) → `followup:detail`'s address, at the cost of one
    `reverse()`: the address is reversed once with marker ids and then filled in, which on a
    list of fifty follow-ups saves about a millisecond."""
    head, rest = reverse("followup:detail", args=[_CASE_MARK, _FOLLOWUP_MARK]).split(
        str(_CASE_MARK)
    )
    middle, tail = rest.split(str(_FOLLOWUP_MARK))
    return lambda case_id, followup_id: f"{head}{case_id}{middle}{followup_id}{tail}"


def _with_urls(followups: list) -> list:
    """The follow-ups, each given `url`, its page's address. Each needs `case_id` annotated."""
    url = _followup_url_maker()
    for f in followups:
        f.url = url(f.case_id, f.pk)
    return followups


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
    # Only the parent is joined in: the reminders show nothing else of the follow-up.
    followups = _reminder_followups(user, _visible_followups(user).select_related("parent"))
    followups = followups.annotate(
        last_report_end=Max("reports__period_end"), case_id=F("referral__case_id")
    )
    reminders = _followup_reminders(_with_urls(list(followups)))
    reminders += _aftercare_reminders(user, today=today)
    if user.role in (Role.CASEWORKER, Role.SECTION_LEADER):
        reminders += _first_conversation_reminders(user, today=today)
        reminders += _after_lifting_reminders(user, today=today)
        reminders += _legal_deadline_reminders(user, today=today)
    return sorted(reminders, key=lambda r: r.due)


def _followup_reminders(followups, *, today: date | None = None) -> list:
    """The deadlines of these follow-ups, in their order: re-offers, reports, frame reviews and
    the end of aftercare. Each follow-up needs its parent loaded, `case_id`, `url` (see
    `_with_urls`) and `last_report_end` (the latest report's period end). The end of aftercare
    after closure (bvl. § 8-7) is reminded from four weeks before it until the day itself
    (`rules.aftercare_reminds`, seen from `today`)."""
    today = today or timezone.localdate()
    # Translated once, not once per follow-up.
    reoffer = _("Offer follow-up again to %(n)s")
    report = _("Report due for %(n)s")
    frame_review = _("Review the frame for %(n)s")
    aftercare = _("Follow-up after reunification ends for %(n)s")
    reminders = []
    for f in followups:
        name = {"n": f.parent.full_name}
        deadlines = []  # (due, text, the date before a move off a weekend or holiday, kind)
        if f.state == State.DECLINED and f.reoffer_on:
            deadlines.append((f.reoffer_on, reoffer % name, None, "reoffer"))
        if f.state == State.ACTIVE and f.started_on and f.report_period_months:
            period = {
                "started_on": f.started_on,
                "period_months": f.report_period_months,
                "last_period_end": f.last_report_end,
            }
            deadlines.append(
                (
                    rules.next_report_due(**period),
                    report % name,
                    rules.next_report_matching(**period),
                    "report",
                )
            )
        if f.frame_review_on and f.state in (State.ACTIVE, State.PAUSED):
            deadlines.append((f.frame_review_on, frame_review % name, None, "frame_review"))
        if f.aftercare_until and (
            f.state != State.CLOSED or rules.aftercare_reminds(f.aftercare_until, today)
        ):
            deadlines.append((f.aftercare_until, aftercare % name, None, "aftercare"))
        reminders += [
            rules.reminder(due, text, f.url, matching=matching, case_id=f.case_id, kind=kind)
            for due, text, matching, kind in deadlines
        ]
    return reminders


def _aftercare_reminders(user, *, today: date) -> list:
    """The end of aftercare (bvl. § 8-7) of closed follow-ups, four weeks ahead: the
    counsellor's and the caseworker's own, every one a leader may see. One query."""
    followups = _visible_followups(user).filter(
        state=State.CLOSED,
        lifting_decision__isnull=False,
        aftercare_until__range=(today, today + timedelta(days=rules.AFTERCARE_REMINDER_DAYS)),
    )
    if user.role == Role.COUNSELLOR:
        followups = followups.filter(referral__counsellor=user)
    elif user.role == Role.CASEWORKER:
        followups = followups.filter(referral__case__caseworker=user)
    followups = followups.select_related("parent").annotate(case_id=F("referral__case_id"))
    return _followup_reminders(_with_urls(list(followups)), today=today)


def contacts_with_history(followup: FollowUp) -> list:
    """The follow-up's contacts, newest first, each with who recorded it, its time entries and
    its earlier versions (`revisions`, newest first, with who corrected them). Three queries."""
    return list(
        Contact.objects.filter(followup=followup)
        .select_related("recorded_by")
        .prefetch_related(
            "time_entries",
            Prefetch(
                "revisions",
                queryset=ContactRevision.objects.select_related("corrected_by").order_by("-number"),
            ),
        )
    )


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
                        kind="first_conversation",
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
            kind="after_lifting",
        )
        for d in lifted.select_related("case")
    ]


def _legal_deadlines(user, *, today: date) -> list[tuple[str, int, str, date]]:
    """The legal deadlines of `cases.rules.legal_deadlines` on the open cases whose deadlines
    remind `user` (their own as caseworker, every one they may see as section leader), as
    (kind, case id, case reference, due date), in one query however many cases there are.

    The query asks what the rule asks, in SQL: emergency placements in force today on cases
    whose petition is not sent; care-order decisions no lifting has ended on cases without a
    final care plan (the earliest of a case's counts, as in `final_care_plan_counted_from`).
    """
    cases = _first_conversation_cases(user)
    kind = CharField()
    emergency = (
        Placement.objects.filter(
            case__in=cases, kind=PlacementKind.EMERGENCY, start_date__lte=today
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exclude(case__petition_status=PetitionStatus.SENT)
        .annotate(deadline_kind=Value(case_rules.EMERGENCY_PETITION, output_field=kind))
        .values_list("deadline_kind", "case_id", "case__reference", "start_date")
        .order_by()
    )
    lifted_since = TribunalDecision.objects.filter(
        case_id=OuterRef("case_id"),
        kind=DecisionKind.LIFTING,
        decided_on__gte=OuterRef("decided_on"),
    )
    final_plan = CarePlan.objects.filter(case_id=OuterRef("case_id"), kind=CarePlanKind.FINAL)
    care_orders = (
        TribunalDecision.objects.filter(case__in=cases, kind=DecisionKind.CARE_ORDER)
        .filter(~Exists(lifted_since), ~Exists(final_plan))
        .annotate(deadline_kind=Value(case_rules.FINAL_CARE_PLAN, output_field=kind))
        .values_list("deadline_kind", "case_id", "case__reference", "decided_on")
        .order_by()
    )
    deadlines, first_care_order = [], {}
    for deadline_kind, case_id, reference, day in emergency.union(care_orders, all=True):
        if deadline_kind == case_rules.EMERGENCY_PETITION:
            due = case_rules.emergency_placement_limit(day)
            deadlines.append((deadline_kind, case_id, reference, due))
        elif case_id not in first_care_order or day < first_care_order[case_id][1]:
            first_care_order[case_id] = (reference, day)
    for case_id, (reference, day) in first_care_order.items():
        due = case_rules.final_care_plan_due(day)
        deadlines.append((case_rules.FINAL_CARE_PLAN, case_id, reference, due))
    return deadlines


def _legal_deadline_reminders(user, *, today: date):
    """The case's legal deadlines as reminders, each pointing at the case's overview."""
    texts = {
        case_rules.EMERGENCY_PETITION: _(
            "Send the care-order petition for the emergency placement (%(ref)s)"
        ),
        case_rules.FINAL_CARE_PLAN: _("Make the final care plan (%(ref)s)"),
    }
    overview = _case_overview_url_maker()
    return [
        rules.reminder(
            due, texts[kind] % {"ref": reference}, overview(case_id), case_id=case_id, kind=kind
        )
        for kind, case_id, reference, due in _legal_deadlines(user, today=today)
    ]


def _case_overview_url_maker():
    """A function case_id → `cases:overview`'s address, at the cost of one `reverse()`."""
    head, tail = reverse("cases:overview", args=[_CASE_MARK]).split(str(_CASE_MARK))
    return lambda case_id: f"{head}{case_id}{tail}"


# A report period longer than this (only a value no form accepts) is searched as this long by
# `overdue_counts`, so that its dates stay inside the calendar.
MAX_SEARCHED_MONTHS = 1200
OVERDUE_KINDS = (
    "reoffer",
    "report",
    "frame_review",
    "aftercare",
    "first_conversation",
    "after_lifting",
    *case_rules.LEGAL_DEADLINE_KINDS,  # the case's legal deadlines: petition, final care plan
)


def overdue_counts(user, *, today: date) -> dict[str, int]:
    """How many of `reminders_for(user, today=today)` are overdue, by kind, without building them.

    The same follow-ups, cases and deadline rules as `reminders_for`, and the same test (due
    before today; a deadline today is not overdue). The open follow-ups are read as seven bare
    columns and tested as `_followup_reminders` tests them; first conversations are counted from
    a narrow `values_list`, the case's legal deadlines from `_legal_deadlines`. Two queries, five
    for a caseworker or a section leader, however many follow-ups there are.
    """
    last_report_end = Subquery(
        FollowUpReport.objects.filter(followup=OuterRef("pk"))
        .order_by("-period_end")
        .values("period_end")[:1]
    )
    rows = (
        _reminder_followups(user, _visible_followups(user))
        .annotate(last_report_end=last_report_end)
        .values_list(
            "state",
            "reoffer_on",
            "frame_review_on",
            "aftercare_until",
            "started_on",
            "report_period_months",
            "last_report_end",
        )
        .order_by()
    )
    latest: dict[int, date] = {}  # report period in months → the latest base overdue

    def report_overdue(base: date, months: int) -> bool:
        """Whether the report due `months` after `base` (the start, or the last report's end)
        is overdue. The due date never moves back as the base moves on (whole months on, then
        off weekends and holidays), so the overdue bases are those up to one date, found once
        per period length by bisection: a few deadlines computed instead of one per follow-up."""

        def overdue(day: date) -> bool:
            due = rules.next_report_due(started_on=day, period_months=months, last_period_end=None)
            return due < today

        months = min(months, MAX_SEARCHED_MONTHS)
        if months not in latest:
            # A month is at least 28 days: from `late` on, the report is due today or later.
            late = today - timedelta(days=28 * months)
            early = late - timedelta(days=3 * months + 7)
            while not overdue(early):
                early -= timedelta(days=7)
            while (late - early).days > 1:  # overdue(early), not overdue(late)
                middle = early + timedelta(days=(late - early).days // 2)
                early, late = (middle, late) if overdue(middle) else (early, middle)
            latest[months] = early
        return base <= latest[months]

    counts = dict.fromkeys(OVERDUE_KINDS, 0)
    for state, reoffer_on, frame_review_on, aftercare_until, started_on, months, last_end in rows:
        if state == State.DECLINED and reoffer_on and reoffer_on < today:
            counts["reoffer"] += 1
        if state == State.ACTIVE and started_on and months:
            counts["report"] += report_overdue(last_end or started_on, months)
        if state in (State.ACTIVE, State.PAUSED) and frame_review_on and frame_review_on < today:
            counts["frame_review"] += 1
        if aftercare_until and aftercare_until < today:
            counts["aftercare"] += 1
    if user.role in (Role.CASEWORKER, Role.SECTION_LEADER):
        counts["first_conversation"] = _overdue_first_conversations(user, today=today)
        counts["after_lifting"] = sum(
            rules.after_lifting_until(decided_on) < today
            for decided_on in _after_lifting_decisions(user, today=today).values_list(
                "decided_on", flat=True
            )
        )
        for kind, _case_id, _reference, due in _legal_deadlines(user, today=today):
            counts[kind] += due < today
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


# A follow-up assigned to the counsellor this many days ago or less is a new family in «Min uke».
NEW_FAMILY_DAYS = 14


def week_window(today: date, asked: date | None = None) -> tuple[date, date]:
    """The days «Min uke» shows, [first, end): the next seven days from today; or, for a week
    asked for (`?uke=`), Monday to Sunday of the week of that day (as the visit calendar), if
    it lies within the dates Sammen accepts (`core.dates`), else the next seven days."""
    if asked is not None and dates.EARLIEST <= asked <= dates.latest(today):
        first = asked - timedelta(days=asked.weekday())
    else:
        first = today
    return first, first + timedelta(days=7)


def _local_day(moment) -> date | None:
    """The local date of a stored moment; None for one at the calendar's ends."""
    try:
        return timezone.localdate(moment) if moment else None
    except (OverflowError, ValueError):
        return None


def _new_families(followups, *, today: date) -> list:
    """The counsellor's new families: follow-ups assigned in the last `NEW_FAMILY_DAYS` days,
    or still waiting for the parent's answer (assigned, not yet consented or declined); the
    latest assigned first. Each is given `assigned_on` and `order_label`."""
    since = today - timedelta(days=NEW_FAMILY_DAYS)
    orders = dict(Order.choices)
    new = []
    for f in followups:
        f.assigned_on = _local_day(f.assigned_at)
        if f.state == State.CLOSED:  # in aftercare: not a new family
            continue
        if f.state == State.ASSIGNED or (f.assigned_on is not None and f.assigned_on >= since):
            f.order_label = orders.get(f.referral_order, f.referral_order)
            new.append(f)
    new.sort(key=lambda f: f.pk)
    new.sort(key=lambda f: f.assigned_on or date.min, reverse=True)
    return new


def my_week(user, *, today: date, first: date | None = None):
    """«Min uke»: new families, sessions and visits of the week, reports due, overdue items,
    re-offers. The week is the seven days from `first` (default today, see `week_window`).

    The counsellor's open follow-ups are read once, with parent, case id and reference, the
    referral's date, order and assignment, and the latest report's period end, and serve the
    new families, the reminders, the sessions and the reports; those two are read by follow-up
    id without joins. The week's visits are read in one query (`visits.selectors.week_sessions`,
    on the cases of those follow-ups and the visits the counsellor takes). Four queries, two
    when the counsellor has no open follow-up. Each follow-up carries `case_id` and `url`, its
    page's address.
    """
    first = first or today
    end = first + timedelta(days=7)
    followups = _with_urls(
        list(
            _visible_followups(user)
            .filter(referral__counsellor=user)
            # Open follow-ups, and closed ones whose aftercare (bvl. § 8-7) still lasts.
            .filter(
                ~Q(state=State.CLOSED)
                | Q(lifting_decision__isnull=False, aftercare_until__gte=today)
            )
            .select_related("parent")
            .annotate(
                # The referral's columns the page needs, instead of the whole referral.
                case_id=F("referral__case_id"),
                case_reference=F("referral__case__reference"),
                referred_on=F("referral__referred_on"),
                referral_order=F("referral__order"),
                assigned_at=F("referral__assigned_at"),
                last_report_end=Subquery(
                    FollowUpReport.objects.filter(followup=OuterRef("pk"))
                    .order_by("-period_end")
                    .values("period_end")[:1]
                ),
            )
            .order_by()
        )
    )
    # The order of `FollowUp.Meta.ordering`, which `reminders_for` lists them in.
    followups.sort(key=lambda f: (f.parent.relation, f.pk))
    followups.sort(key=lambda f: (f.referred_on, f.referral_id), reverse=True)
    if user.role == Role.COUNSELLOR:
        # `reminders_for` reads the very same follow-ups for a counsellor.
        reminders = sorted(_followup_reminders(followups, today=today), key=lambda r: r.due)
    else:
        reminders = reminders_for(user, today=today)
    by_pk = {f.pk: f for f in followups}
    # Both sorted in Python: for a week's rows that is cheaper than compiling an ORDER BY.
    upcoming = _with_followup(
        Contact.objects.filter(followup_id__in=by_pk, held_on__gte=first, held_on__lt=end),
        by_pk,
    )
    upcoming.sort(key=lambda c: (c.held_on, c.pk))
    zone = timezone.get_current_timezone()
    visits = week_sessions(
        user,
        case_ids=sorted({f.case_id for f in followups}),
        start=datetime.combine(first, time.min, tzinfo=zone),
        end=datetime.combine(end, time.min, tzinfo=zone),
    )
    reports = _with_followup(
        FollowUpReport.objects.filter(followup_id__in=by_pk).exclude(state=ReviewState.APPROVED),
        by_pk,
    )
    reports.sort(key=lambda r: (r.period_end, r.pk), reverse=True)
    return {
        "first": first,
        "last": end - timedelta(days=1),
        "new_families": _new_families(followups, today=today),
        "upcoming": upcoming,
        "visits": visits,
        "overdue": [r for r in reminders if r.is_overdue(today)],
        "ahead": [
            r for r in reminders if not r.is_overdue(today) and r.due <= today + timedelta(days=30)
        ],
        "reports_to_review": reports,
    }


def _visible_followups(user):
    """Follow-ups of the cases `user` may see, nothing joined in but the referral to filter on."""
    return FollowUp.objects.filter(referral__case_id__in=visible_case_ids(user, ChildCase))


def _with_followup(queryset, by_pk: dict) -> list:
    """The rows of `queryset` (of the follow-ups in `by_pk`), unordered, each pointed at its
    follow-up."""
    if not by_pk:
        return []
    rows = list(queryset.order_by())
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
