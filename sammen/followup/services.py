"""Writes of the follow-up workflow. Each step checks the state machine and is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record
from sammen.cases import review
from sammen.cases.models.persons import PARENT_RELATIONS
from sammen.org.models import Role

from . import rules
from .choices import ClosureReason, ConsentKind, MeetingKind, State
from .models import FollowUp, FollowUpReport, Referral


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


@transaction.atomic
def activity_add(*, user, followup: FollowUp, instance, event: str = "activity", request=None):
    """Record information given, a session, a phase, living conditions or a service referral."""
    rules.next_state(event, followup.state)
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
    when the form was opened)."""
    rules.next_state("report", followup.state)
    if report.state != review.ReviewState.DRAFT:
        raise ValidationError(_("An approved report cannot be changed."))
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
    """Close with a reason; after reunification a follow-up of up to six months is suggested."""
    followup.carry_version(expected_version)
    followup.state = rules.next_state("close", followup.state)
    followup.closed_on = closed_on
    followup.closure_reason = reason
    followup.closure_note = note
    if reason == ClosureReason.REUNIFIED:
        followup.aftercare_until = aftercare_until or rules.suggested_aftercare_until(closed_on)
    followup.full_clean()
    followup.save()
    _audit(
        user, followup.referral.case_id, followup, AuditAction.UPDATE, request, f"closed: {reason}"
    )
    return followup
