"""Writes of the visits workflow. Each is atomic, checked and audited in the same transaction."""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record
from sammen.cases import review
from sammen.cases.models.decisions import VisitationRulingVersion

from . import date_rules, rules, selectors
from .choices import Party, SessionStatus
from .models import CalendarToken, VisitExpense, VisitFlat, VisitPlan, VisitReport, VisitSession

CANCELLED = (SessionStatus.CANCELLED, SessionStatus.NO_SHOW)


def _audit(user, case_id, obj, action=AuditAction.CREATE, request=None, reason="", object_ids=()):
    audit_record(
        user=user,
        action=action,
        case_id=case_id,
        obj=obj,
        request=request,
        reason=reason,
        object_ids=object_ids,
    )


# Plans -----------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, user, case, plan: VisitPlan, based_on: int | None, request=None):
    """Save a new version of the visitor's plan after checking it against the ruling in force.

    `based_on` is the version the form was opened from (0 for a first plan); if someone made
    a newer version meanwhile, the save is refused. Returns the plan and the check's notices.
    """
    visitor = plan.visitor
    if visitor.case_id != case.pk or visitor.is_child:
        raise ValidationError(_("Choose a person of this case other than the child."))
    latest = (
        VisitPlan.objects.select_for_update()
        .filter(case=case, visitor=visitor)
        .aggregate(n=Max("number"))["n"]
        or 0
    )
    if latest and not based_on:
        raise ValidationError(
            _("%(name)s already has a visitation plan. Make a new version of it instead.")
            % {"name": visitor.full_name}
        )
    if latest != (based_on or 0):
        raise ValidationError(
            _(
                "Someone else made a new version of this plan while you were editing. "
                "Open the newest version and make your changes there."
            )
        )
    if latest:
        previous_start = (
            VisitPlan.objects.filter(case=case, visitor=visitor, number=latest)
            .values_list("starts_on", flat=True)
            .first()
        )
        date_rules.refuse(
            date_rules.version_start(
                plan.starts_on,
                number=latest + 1,
                previous_number=latest,
                previous_start=previous_start,
            )
        )
    context = selectors.ruling_context(case, visitor, plan.starts_on)
    check = rules.check_plan(
        rules.PlanTerms(
            plan.visits, plan.period_length, plan.period_unit, plan.hours, plan.supervision
        ),
        ruling=context["ruling"],
        placement_kind=context["placement_kind"],
        visitor_is_parent=visitor.is_parent,
        agreed_with_parents=plan.agreed_with_parents,
        latest_decision=context["latest_decision"],
    )
    if not check.ok:
        raise ValidationError([str(m) for m in check.refusals])
    plan.case = case
    plan.ruling = check.ruling
    # The exact version checked against: the ruling's terms as read above are its version
    # `number` (each version is kept unchanged; demo rulings made in bulk may have none).
    plan.ruling_version = (
        VisitationRulingVersion.objects.filter(
            ruling_id=check.ruling.pk, number=check.ruling.number
        ).first()
        if check.ruling is not None
        else None
    )
    plan.number = latest + 1
    plan.made_by = user
    plan.full_clean()
    plan.save()
    _audit(user, case.pk, plan, request=request, reason=f"version {plan.number}")
    notices = [str(m) for m in check.notices]
    ended = _end_earlier_versions_sessions(user, plan, request)
    if ended:
        notices.append(
            ngettext(
                "%(n)s planned visit of the earlier version from %(day)s was cancelled.",
                "%(n)s planned visits of the earlier version from %(day)s were cancelled.",
                len(ended),
            )
            % {"n": len(ended), "day": plan.starts_on.strftime("%d.%m.%Y")}
        )
    return plan, notices


def _end_earlier_versions_sessions(user, plan: VisitPlan, request) -> list[VisitSession]:
    """Cancel the earlier versions' visits still planned from the new version's start on.

    Only visits yet to come: one that has started may have been held and not yet recorded.
    They stay in the history as cancelled by the service, each claiming its version, with
    one audit row listing them.
    """
    now = timezone.now()
    start = max(datetime.combine(plan.starts_on, time.min, tzinfo=rules.OSLO), now)
    sessions = list(
        VisitSession.objects.select_for_update()
        .filter(
            plan__case_id=plan.case_id,
            plan__visitor_id=plan.visitor_id,
            plan__number__lt=plan.number,
            status=SessionStatus.PLANNED,
            starts_at__gte=start,
        )
        .order_by("starts_at", "pk")
    )
    reason = _("Replaced by version %(n)s of the visitation plan.") % {"n": plan.number}
    for session in sessions:
        session.status = SessionStatus.CANCELLED
        session.cancelled_by = Party.SERVICE
        session.cancel_reason = reason
        session.cancelled_at = now
        session.recorded_by = user
        session.full_clean()
        session.save()
    if sessions:
        _audit(
            user,
            plan.case_id,
            plan,
            AuditAction.UPDATE,
            request,
            reason=f"cancelled {len(sessions)} visits replaced by version {plan.number}",
            object_ids=[s.pk for s in sessions],
        )
    return sessions


# Sessions --------------------------------------------------------------------------------


def _booking(session: VisitSession) -> rules.Booking:
    return rules.Booking(
        session.starts_at, session.ends_at, session.counsellor_id, session.flat_id, session.pk
    )


def _bookings_between(start, end, *, counsellor_id, flat_id) -> list[rules.Booking]:
    """Visits not cancelled that use the counsellor or the flat in [start, end)."""
    who = Q(pk__in=[])
    if counsellor_id:
        who |= Q(counsellor_id=counsellor_id)
    if flat_id:
        who |= Q(flat_id=flat_id)
    sessions = (
        VisitSession.objects.filter(who, starts_at__lt=end, ends_at__gt=start)
        .exclude(status__in=CANCELLED)
        .select_for_update()
    )
    return [_booking(s) for s in sessions]


def _clash_text(start, why: str, session: VisitSession) -> str:
    when = timezone.localtime(start).strftime("%d.%m.%Y %H:%M")
    if why == "flat":
        return _("%(when)s: the visit flat %(flat)s is already booked.") % {
            "when": when,
            "flat": session.flat,
        }
    return _("%(when)s: %(name)s already has a visit then.") % {
        "when": when,
        "name": session.counsellor,
    }


def _refuse_clashes(session: VisitSession) -> None:
    existing = _bookings_between(
        session.starts_at,
        session.ends_at,
        counsellor_id=session.counsellor_id,
        flat_id=session.flat_id,
    )
    found = rules.clashes(_booking(session), existing)
    if found:
        raise ValidationError(
            [_clash_text(session.starts_at, why, session) for _booking_, why in found]
        )


def _check_place(plan: VisitPlan, session: VisitSession) -> None:
    if session.flat_id and session.flat.unit_id != plan.case.section.unit_id:
        raise ValidationError(_("Choose a visit flat of the case's unit."))


def _check_replacement(plan: VisitPlan, session: VisitSession) -> None:
    """A replacement replaces one cancelled visit of the same child and visitor, once.

    The cancelled visit's row is locked, so two replacements booked at once cannot both pass.
    """
    if not session.replaces_id:
        return
    original = (
        VisitSession.objects.select_for_update()
        .select_related("plan")
        .filter(pk=session.replaces_id)
        .first()
    )
    if original is None or (original.plan.case_id, original.plan.visitor_id) != (
        plan.case_id,
        plan.visitor_id,
    ):
        raise ValidationError(_("The visit to replace is not a visit of this plan."))
    if original.status not in CANCELLED:
        raise ValidationError(_("Only a cancelled or missed visit can be replaced."))
    if VisitSession.objects.filter(replaces_id=original.pk).exists():
        raise ValidationError(_("This visit already has a replacement."))


@transaction.atomic
def session_add(*, user, plan: VisitPlan, session: VisitSession, request=None) -> VisitSession:
    """Add one visit, perhaps replacing a cancelled one; double bookings are refused."""
    session.plan = plan
    session.recorded_by = user
    if session.starts_at is not None:
        date_rules.refuse(
            date_rules.session_in_plan(
                session.starts_at, plan_number=plan.number, plan_start=plan.starts_on
            )
        )
    _check_place(plan, session)
    _check_replacement(plan, session)
    session.full_clean()
    _refuse_clashes(session)
    session.save()
    _audit(user, plan.case_id, session, request=request)
    return session


@transaction.atomic
def session_move(
    *, user, session: VisitSession, expected_version: int | None, request=None
) -> VisitSession:
    """Move a planned visit to another time, counsellor or flat; refuses double bookings."""
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(_("Only a planned visit can be moved."))
    _check_place(session.plan, session)
    session.full_clean()
    _refuse_clashes(session)
    session.save_versioned(expected_version=expected_version or 0)
    _audit(user, session.plan.case_id, session, AuditAction.UPDATE, request, "moved")
    return session


@transaction.atomic
def sessions_generate(
    *,
    user,
    plan: VisitPlan,
    series: list,
    counsellor,
    flat,
    place_kind: str,
    skip_holidays: bool = False,
    request=None,
):
    """Create the visits of a series; those that would double-book are left out and returned.

    With `skip_holidays`, visits on Norwegian public holidays are left out too (the view tells
    which); without, they are made and marked on the pages (`VisitSession.holiday`).
    Returns (created sessions, list of messages about the visits left out for double bookings).
    """
    if not series:
        raise ValidationError(_("The series has no visits between these dates."))
    date_rules.refuse(
        date_rules.session_in_plan(series[0][0], plan_number=plan.number, plan_start=plan.starts_on)
    )
    if skip_holidays:
        series, _holidays = rules.split_holidays(series)
        if not series:
            raise ValidationError(_("Every visit of the series falls on a public holiday."))
    taken = _bookings_between(
        series[0][0],
        series[-1][1],
        counsellor_id=counsellor.pk if counsellor else None,
        flat_id=flat.pk if flat else None,
    )
    created, skipped = [], []
    for start, end in series:
        session = VisitSession(
            plan=plan,
            starts_at=start,
            ends_at=end,
            counsellor=counsellor,
            flat=flat,
            place_kind=place_kind,
            recorded_by=user,
        )
        _check_place(plan, session)
        found = rules.clashes(_booking(session), taken)
        if found:
            skipped += [_clash_text(start, why, session) for _b, why in found[:1]]
            continue
        session.full_clean()
        session.save()
        taken.append(_booking(session))
        created.append(session)
    _audit(
        user,
        plan.case_id,
        plan,
        request=request,
        reason=f"scheduled {len(created)} visits",
        object_ids=[s.pk for s in created],
    )
    return created, skipped


@transaction.atomic
def session_record(
    *, user, session: VisitSession, expected_version: int | None, request=None
) -> VisitSession:
    """Record a held visit: before, during and after."""
    date_rules.refuse(date_rules.session_held(session.starts_at, now=timezone.now()))
    session.status = SessionStatus.HELD
    session.cancelled_by, session.cancel_reason, session.cancelled_at = "", "", None
    session.recorded_by = user
    session.full_clean()
    session.save_versioned(expected_version=expected_version or 0)
    _audit(user, session.plan.case_id, session, AuditAction.UPDATE, request, "held")
    return session


@transaction.atomic
def session_cancel(
    *, user, session: VisitSession, expected_version: int | None, request=None
) -> VisitSession:
    """Record a cancellation or a no-show: who, why and when (how late)."""
    if session.status not in CANCELLED:
        raise ValidationError(_("Choose whether the visit was cancelled or someone did not come."))
    if not session.cancelled_by or not session.cancel_reason.strip():
        raise ValidationError(_("Record who cancelled or did not come, and why."))
    if session.cancelled_at is None:
        session.cancelled_at = timezone.now()
    if session.cancelled_at > timezone.now():
        raise ValidationError(_("The cancellation cannot be dated in the future."))
    session.recorded_by = user
    session.full_clean()
    session.save_versioned(expected_version=expected_version or 0)
    _audit(user, session.plan.case_id, session, AuditAction.UPDATE, request, session.status)
    return session


# Reports ---------------------------------------------------------------------------------


@transaction.atomic
def report_write(
    *, user, plan: VisitPlan, report: VisitReport, expected_version=None, request=None
):
    """Write a visit report (for one visit or a period), or change a draft."""
    if report.state != review.ReviewState.DRAFT:
        raise ValidationError(_("Only a draft report can be changed."))
    if report.session_id and report.session.plan.visitor_id != plan.visitor_id:
        raise ValidationError(_("Choose a visit of this plan."))
    adding = report._state.adding
    report.plan = plan
    report.written_by = user
    report.full_clean()
    if adding:
        report.save()
    else:
        report.save_versioned(expected_version=expected_version or 0)
    _audit(
        user, plan.case_id, report, AuditAction.CREATE if adding else AuditAction.UPDATE, request
    )
    return report


@transaction.atomic
def report_review(
    *, user, report: VisitReport, reviewed_on, comments, agreement, expected_version, request=None
):
    """Record going through the report with the parent: their comments and whether they agree."""
    report.carry_version(expected_version)
    review.record_parent_review(
        report, reviewed_on=reviewed_on, comments=comments, agreement=agreement
    )
    report.save()
    _audit(user, report.plan.case_id, report, AuditAction.UPDATE, request, "reviewed with parent")
    return report


@transaction.atomic
def report_delete(*, user, report: VisitReport, expected_version, request=None) -> VisitReport:
    """Delete a draft report (one not yet gone through with the parent); nobody changed it since
    the page showed `expected_version`. The audit row keeps that it existed."""
    if report.state != review.ReviewState.DRAFT:
        raise ValidationError(
            _("Only a draft can be deleted. This report has been gone through with the parent.")
            if report.state == review.ReviewState.REVIEWED
            else _("Only a draft can be deleted. This report has been approved.")
        )
    _audit(
        user,
        report.plan.case_id,
        report,
        AuditAction.DELETE,
        request,
        # The period, in no language: the deleted report cannot name itself in the log.
        reason=f"{report.period_start:%d.%m.%Y}–{report.period_end:%d.%m.%Y}",
    )
    report.delete_versioned(expected_version=expected_version)
    return report


@transaction.atomic
def report_approve(*, user, report: VisitReport, expected_version, request=None):
    report.carry_version(expected_version)
    review.approve(report, user=user, case=report.plan.case)
    report.save()
    _audit(user, report.plan.case_id, report, AuditAction.UPDATE, request, "approved")
    return report


# Costs, flats and calendar tokens --------------------------------------------------------


@transaction.atomic
def expense_add(*, user, plan: VisitPlan, expense: VisitExpense, request=None) -> VisitExpense:
    """Record the service's support to the parents around visits (travel, food, …)."""
    expense.plan = plan
    expense.recorded_by = user
    expense.full_clean()
    expense.save()
    _audit(user, plan.case_id, expense, request=request)
    return expense


@transaction.atomic
def flat_save(*, user, flat: VisitFlat, expected_version: int | None, request=None) -> VisitFlat:
    adding = flat._state.adding
    flat.full_clean()
    if adding:
        flat.save()
    else:
        flat.save_versioned(expected_version=expected_version or 0)
    _audit(user, None, flat, AuditAction.CREATE if adding else AuditAction.UPDATE, request)
    return flat


def calendar_token_for(user) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def calendar_token_renew(*, user, request=None) -> CalendarToken:
    """A new secret address for the user's feed; the old address stops working at once."""
    CalendarToken.objects.filter(user=user).delete()
    token = CalendarToken.objects.create(user=user)
    _audit(user, None, token, AuditAction.UPDATE, request, "calendar address renewed")
    return token
