"""Writes of the follow-up workflow. Each step checks the state machine and is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record
from sammen.cases import review
from sammen.cases.models import LegalReference
from sammen.cases.models.persons import PARENT_RELATIONS
from sammen.cases.rules import lifting_decision_for
from sammen.core.models import ConcurrentEditError
from sammen.org.models import Role

from . import rules
from .choices import ClosureReason, ConsentKind, MeetingKind, State
from .models import CONTACT_VALUES, Contact, ContactRevision, FollowUp, FollowUpReport, Referral

# The date of each kind of record and whether it is a thing that happened (not in the future);
# a contact may be planned ahead.
RECORD_DATES = {
    "Information": (("informed_on", True),),
    "ConsentEvent": (("on", True),),
    "StartMeeting": (("held_on", True),),
    "Contact": (("held_on", False),),
    "PhaseChange": (("from_date", True),),
    "LivingConditions": (("assessed_on", True),),
    "ServiceReferral": (("referred_on", True), ("consent_on", True)),
}


def _audit(user, case_id, obj, action=AuditAction.CREATE, request=None, reason=""):
    audit_record(user=user, action=action, case_id=case_id, obj=obj, request=request, reason=reason)


def _move(followup: FollowUp, event: str) -> None:
    followup.state = rules.next_state(event, followup.state)
    followup.save()


@transaction.atomic
def referral_create(*, user, case, parents, referral: Referral, request=None) -> Referral:
    """The caseworker refers one or more parents of the case; each gets a follow-up of their own."""
    if not parents:
        raise ValidationError(_("Choose at least one parent."))
    for parent in parents:
        if parent.case_id != case.pk or parent.relation not in PARENT_RELATIONS:
            raise ValidationError(_("Only the child's parents in this case can be referred."))
        if parent.followups.exclude(state=State.CLOSED).exists():
            raise ValidationError(
                _("%(name)s already has an open follow-up.") % {"name": parent.full_name}
            )
    referral.case = case
    referral.referred_by = user
    referral.full_clean()
    referral.save()
    for parent in parents:
        FollowUp.objects.create(referral=referral, parent=parent)
    _audit(user, case.pk, referral, request=request)
    return referral


def may_decide(user, case) -> bool:
    return user.role == Role.SECTION_LEADER and user.section_id == case.section_id


def may_assign(user, case) -> bool:
    return user.role == Role.PROGRAMME_LEAD and user.unit_id == case.section.unit_id


@transaction.atomic
def referral_decide(
    *, user, referral: Referral, approve: bool, comment: str, expected_version, request=None
) -> Referral:
    """The section leader approves the referral, or returns it to the caseworker with a comment.
    `expected_version`: the referral's version when the decision page was opened."""
    referral.carry_version(expected_version)
    if not may_decide(user, referral.case):
        raise ValidationError(
            _("Only the section leader of the case's section decides on referrals.")
        )
    if not approve and not comment.strip():
        raise ValidationError(_("Say why the referral is returned."))
    for followup in referral.followups.all():
        _move(followup, "approve" if approve else "return")
    referral.decision_comment = comment
    referral.decided_by = user
    referral.decided_at = timezone.now()
    referral.save()
    _audit(
        user,
        referral.case_id,
        referral,
        AuditAction.UPDATE,
        request,
        "approved" if approve else "returned",
    )
    return referral


@transaction.atomic
def referral_resubmit(*, user, referral: Referral, expected_version, request=None) -> Referral:
    """The caseworker sends a returned referral again after changing it."""
    referral.carry_version(expected_version)
    referral.full_clean()
    referral.save()
    for followup in referral.followups.all():
        _move(followup, "resubmit")
    _audit(user, referral.case_id, referral, AuditAction.UPDATE, request, "resubmitted")
    return referral


@transaction.atomic
def referral_assign(
    *, user, referral: Referral, counsellor, expected_version, request=None
) -> Referral:
    """The programme lead gives the approved referral to a family counsellor, who joins the team."""
    referral.carry_version(expected_version)
    if not may_assign(user, referral.case):
        raise ValidationError(_("Only the programme lead assigns referrals."))
    if counsellor.role != Role.COUNSELLOR or counsellor.unit_id != referral.case.section.unit_id:
        raise ValidationError(_("Choose a family counsellor in this unit."))
    followups = list(referral.followups.exclude(state=State.CLOSED))
    for followup in followups:
        rules.next_state("assign", followup.state)  # refuses unapproved referrals
    for followup in followups:
        if followup.state == State.APPROVED:
            followup.state = State.ASSIGNED
            followup.save()
    referral.counsellor = counsellor
    referral.assigned_by = user
    referral.assigned_at = timezone.now()
    referral.save()
    referral.case.counsellors.add(counsellor)
    _audit(user, referral.case_id, referral, AuditAction.UPDATE, request, "assigned")
    return referral


def legal_reference_text(key: str) -> str:
    """The provision of law kept as data under `key` ("barnevernsloven (2021) § 8-7"), or ""."""
    reference = LegalReference.objects.filter(key=key).first()
    return str(reference) if reference else ""


def check_record_dates(followup: FollowUp, instance, *, today=None) -> None:
    """The record's dates agree with the follow-up: nothing that happened is dated in the future
    or before the parent was referred. Refused with the field's Norwegian message."""
    today = today or timezone.localdate()
    referred_on = followup.referral.referred_on
    problems = {}
    for name, happened in RECORD_DATES.get(type(instance).__name__, ()):
        day = getattr(instance, name)
        problem = (rules.not_in_future(day, today) if happened else "") or (
            rules.not_before_referral(day, referred_on)
        )
        if problem:
            problems[name] = problem
    if problems:
        raise ValidationError(problems)


def _aftercare_check(followup: FollowUp, instance) -> None:
    """A record in a closed follow-up: only while aftercare lasts, dated within it."""
    if not (
        followup.closure_reason == ClosureReason.REUNIFIED
        and followup.lifting_decision_id
        and followup.aftercare_until
    ):
        raise ValidationError(
            _(
                "The follow-up was closed on %(closed)s without aftercare: nothing more is recorded in it."
            )
            % {"closed": rules.dmy(followup.closed_on)}
        )
    kind = type(instance).__name__
    if kind not in rules.AFTERCARE_RECORDS:
        raise ValidationError(
            _(
                "In aftercare, contacts, living conditions and referrals to other services are recorded."
            )
        )
    name = RECORD_DATES[kind][0][0]
    problem = rules.aftercare_record_problem(
        followup, lifted_on=followup.lifting_decision.decided_on, held_on=getattr(instance, name)
    )
    if problem:
        raise ValidationError({name: problem})


@transaction.atomic
def activity_add(*, user, followup: FollowUp, instance, event: str = "activity", request=None):
    """Record information given, a session, a phase, living conditions or a service referral;
    after closure, a contact, living conditions or a referral while aftercare (§ 8-7) lasts."""
    if followup.state == State.CLOSED and event == "activity":
        _aftercare_check(followup, instance)
    else:
        rules.next_state(event, followup.state)
    check_record_dates(followup, instance)
    instance.followup = followup
    instance.recorded_by = user
    instance.full_clean()
    instance.save()
    _audit(user, followup.referral.case_id, instance, request=request)
    return instance


@transaction.atomic
def consent_record(*, user, followup: FollowUp, event, request=None):
    """Consent given, an offer declined (with a date to offer again), or consent withdrawn."""
    kind_to_transition = {
        ConsentKind.GIVEN: "consent",
        ConsentKind.DECLINED: "decline",
        ConsentKind.WITHDRAWN: "withdraw",
    }
    transition = kind_to_transition[event.kind]
    check_record_dates(followup, event)
    if event.kind != ConsentKind.WITHDRAWN and not followup.information.exists():
        raise ValidationError(
            _("Record how the parent was informed before recording their answer.")
        )
    if event.kind == ConsentKind.DECLINED:
        if not event.reoffer_on or event.reoffer_on <= event.on:
            raise ValidationError(_("A declined offer needs a later date to offer it again."))
        followup.reoffer_on = event.reoffer_on
    else:
        followup.reoffer_on = None
    followup.state = rules.next_state(transition, followup.state)
    followup.save()
    event.followup = followup
    event.recorded_by = user
    event.full_clean()
    event.save()
    _audit(user, followup.referral.case_id, event, request=request)
    return event


@transaction.atomic
def meeting_record(*, user, followup: FollowUp, meeting, frame: dict, request=None):
    """The internal discussion meeting, or the joint start meeting that makes the follow-up active."""
    if meeting.kind == MeetingKind.JOINT:
        missing = [
            k
            for k in ("report_period_months", "contacts_per_month", "frame_review_on")
            if not frame.get(k)
        ]
        if missing:
            raise ValidationError(
                _(
                    "At the joint start meeting, agree the report period, contacts per month and a review date."
                )
            )
        followup.state = rules.next_state("joint_meeting", followup.state)
        followup.started_on = meeting.held_on
        for key, value in frame.items():
            setattr(followup, key, value)
        followup.save()
        return activity_add(user=user, followup=followup, instance=meeting, request=request)
    return activity_add(
        user=user, followup=followup, instance=meeting, event="internal_meeting", request=request
    )


@transaction.atomic
def report_write(
    *, user, followup: FollowUp, report: FollowUpReport, expected_version=None, request=None
) -> FollowUpReport:
    """Write a periodic report, or change a draft (`expected_version`: the draft's version
    when the form was opened). In an active follow-up, or while aftercare lasts."""
    today = timezone.localdate()
    if not rules.aftercare_lasts(followup, today):
        rules.next_state("report", followup.state)
    if report.state != review.ReviewState.DRAFT:
        raise ValidationError(_("An approved report cannot be changed."))
    problems = rules.report_period_problem(
        start=report.period_start,
        end=report.period_end,
        started_on=followup.started_on,
        referred_on=followup.referral.referred_on,
        today=today,
    )
    if problems:
        raise ValidationError(problems)
    adding = report._state.adding
    if not adding:
        report.carry_version(expected_version)
    report.followup = followup
    report.written_by = user
    report.full_clean()
    report.save()
    _audit(
        user,
        followup.referral.case_id,
        report,
        AuditAction.CREATE if adding else AuditAction.UPDATE,
        request,
    )
    return report


@transaction.atomic
def report_review(
    *,
    user,
    report: FollowUpReport,
    reviewed_on,
    comments,
    agreement,
    expected_version,
    request=None,
):
    """Record going through the report with the parent: their comments and whether they agree."""
    report.carry_version(expected_version)
    review.record_parent_review(
        report, reviewed_on=reviewed_on, comments=comments, agreement=agreement
    )
    report.save()
    _audit(
        user,
        report.followup.referral.case_id,
        report,
        AuditAction.UPDATE,
        request,
        "reviewed with parent",
    )
    return report


@transaction.atomic
def report_approve(*, user, report: FollowUpReport, expected_version, request=None):
    report.carry_version(expected_version)
    review.approve(report, user=user, case=report.followup.referral.case)
    report.save()
    _audit(user, report.followup.referral.case_id, report, AuditAction.UPDATE, request, "approved")
    return report


@transaction.atomic
def followup_close(
    *,
    user,
    followup: FollowUp,
    closed_on,
    reason,
    note,
    expected_version,
    aftercare_until=None,
    request=None,
):
    """Close with a reason that agrees with the case.

    "The child has moved home" is refused while a care order is in force or the child is still
    placed. After the tribunal's decision lifting the care order, the follow-up goes on as
    aftercare (bvl. § 8-7) linked to that decision, for at most six months from it (the longest
    when no date is given). Without a lifted care order there is no aftercare."""
    followup.carry_version(expected_version)
    followup.state = rules.next_state("close", followup.state)
    case = followup.referral.case
    decisions = list(case.decisions.all())
    field, problem = rules.closure_problem(
        reason=reason,
        closed_on=closed_on,
        referred_on=followup.referral.referred_on,
        today=timezone.localdate(),
        decisions=decisions,
        placements=list(case.placements.all()),
    )
    if problem:
        raise ValidationError({field: problem})
    lifting = (
        lifting_decision_for(decisions, closed_on) if reason == ClosureReason.REUNIFIED else None
    )
    problem = rules.aftercare_problem(
        reason=reason,
        closed_on=closed_on,
        aftercare_until=aftercare_until,
        lifting=lifting,
        law=legal_reference_text("followup.after_lifting") if lifting else "",
    )
    if problem:
        raise ValidationError({"aftercare_until": problem})
    followup.closed_on = closed_on
    followup.closure_reason = reason
    followup.closure_note = note
    lifting = rules.aftercare_lifting(decisions, reason=reason, closed_on=closed_on)
    followup.lifting_decision = lifting
    followup.aftercare_until = (
        (aftercare_until or rules.after_lifting_until(lifting.decided_on)) if lifting else None
    )
    followup.full_clean()
    followup.save()
    _audit(
        user, followup.referral.case_id, followup, AuditAction.UPDATE, request, f"closed: {reason}"
    )
    return followup


@transaction.atomic
def contact_correct(*, user, contact: Contact, reason: str, expected_version, request=None):
    """Correct a recorded contact: `contact` carries the corrected values, `reason` says why.
    The values stored until now are kept as an unchangeable `ContactRevision`.
    `expected_version`: the contact's version when the correction form was opened."""
    contact.carry_version(expected_version)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the contact is corrected.")})
    stored = Contact.objects.select_for_update().get(pk=contact.pk)
    if stored.version != expected_version:
        raise ConcurrentEditError()
    if all(getattr(stored, name) == getattr(contact, name) for name in CONTACT_VALUES):
        raise ValidationError(_("Nothing was changed: correct a value, or go back."))
    followup = stored.followup
    problem = rules.not_before_referral(contact.held_on, followup.referral.referred_on)
    if not problem and followup.state == State.CLOSED and followup.closed_on:
        last = max(followup.closed_on, followup.aftercare_until or followup.closed_on)
        if contact.held_on > last:
            problem = _("The date (%(date)s) is after the follow-up ended (%(last)s).") % {
                "date": rules.dmy(contact.held_on),
                "last": rules.dmy(last),
            }
    if problem:
        raise ValidationError({"held_on": problem})
    contact.followup = followup
    contact.recorded_by_id = stored.recorded_by_id
    contact.full_clean()
    ContactRevision.of(stored, reason=reason, corrected_by=user).save()
    contact.save()
    _audit(user, followup.referral.case_id, contact, AuditAction.UPDATE, request, reason)
    return contact


@transaction.atomic
def report_delete(*, user, report: FollowUpReport, expected_version, request=None) -> None:
    """Delete a draft report (nothing else: a report gone through with the parent is kept).
    `expected_version`: the report's version when its page was opened."""
    if report.state != review.ReviewState.DRAFT:
        raise ValidationError(
            _("Only a draft can be deleted; this report is %(state)s.")
            % {"state": report.get_state_display().lower()}
        )
    _audit(
        user,
        report.followup.referral.case_id,
        report,
        AuditAction.DELETE,
        request,
        f"draft report {rules.dmy(report.period_start)}–{rules.dmy(report.period_end)}",
    )
    report.delete_versioned(expected_version=expected_version)


@transaction.atomic
def aftercare_follow_decisions(*, case, user, request=None) -> list[FollowUp]:
    """After a change to the case's tribunal decisions, each follow-up closed into aftercare
    keeps only what the decisions now allow (bvl. § 8-7): the lifting decision in force on its
    closing date, and at most six months from it; no aftercare when there is none or its six
    months ended before the closing date. Each follow-up changed gets an audit row."""
    decisions = list(case.decisions.all())
    changed = []
    followups = FollowUp.objects.select_for_update().filter(
        referral__case=case, lifting_decision__isnull=False
    )
    for followup in followups:
        lifting = rules.aftercare_lifting(
            decisions, reason=followup.closure_reason, closed_on=followup.closed_on
        )
        until = None
        if lifting is not None:
            latest = rules.after_lifting_until(lifting.decided_on)
            until = min(followup.aftercare_until or latest, latest)
        lifting_id = lifting.pk if lifting else None
        if (lifting_id, until) == (followup.lifting_decision_id, followup.aftercare_until):
            continue
        followup.lifting_decision = lifting
        followup.aftercare_until = until
        followup.save()
        _audit(
            user,
            case.pk,
            followup,
            AuditAction.UPDATE,
            request,
            f"aftercare follows the decisions: until {until or '-'}",
        )
        changed.append(followup)
    return changed
