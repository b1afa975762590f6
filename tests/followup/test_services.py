from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sammen.cases.models import Person, TribunalDecision
from sammen.cases.review import ReviewState
from sammen.followup import selectors, services
from sammen.followup.choices import ClosureReason, ConsentKind, MeetingKind, State
from sammen.followup.models import (
    ConsentEvent,
    Contact,
    FollowUp,
    FollowUpReport,
    Information,
    Referral,
    ServiceReferral,
    StartMeeting,
)
from sammen.org.models import ReportApprover

from .. import factories as f
from ..factories import set_columns

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 2)


@pytest.fixture
def mother(case_a):
    return Person.objects.get(case=case_a, relation="mother")


@pytest.fixture
def followup(people, case_a, mother):
    referral = services.referral_create(
        user=people["kari"],
        case=case_a,
        parents=[mother],
        referral=Referral(referred_on=TODAY, order="guidance", goals="Støtte mor"),
    )
    services.referral_decide(
        user=people["siri"],
        referral=referral,
        approve=True,
        comment="",
        expected_version=referral.version,
    )
    services.referral_assign(
        user=people["pia"],
        referral=referral,
        counsellor=people["ola"],
        expected_version=referral.version,
    )
    return referral.followups.get()


def _inform(people, followup):
    services.activity_add(
        user=people["ola"],
        followup=followup,
        instance=Information(informed_on=TODAY, channel="meeting", language="norsk"),
        event="inform",
    )


def _consent(people, followup, kind=ConsentKind.GIVEN, **extra):
    return services.consent_record(
        user=people["ola"], followup=followup, event=ConsentEvent(kind=kind, on=TODAY, **extra)
    )


def _activate(people, followup):
    _inform(people, followup)
    _consent(people, followup)
    services.meeting_record(
        user=people["ola"],
        followup=followup,
        meeting=StartMeeting(kind=MeetingKind.JOINT, held_on=TODAY, participants="Mor og veileder"),
        frame={
            "report_period_months": 3,
            "contacts_per_month": 2,
            "frame_review_on": TODAY + timedelta(days=90),
        },
    )


def _contact():
    return Contact(
        held_on=TODAY, with_whom="parent", place="home", method="conversation", minutes=60
    )


def test_each_parent_gets_a_follow_up_of_their_own(people, case_a, mother):
    father = f.make_parent(case_a, relation="father", first_name="Ole", last_name="Testfar")
    referral = services.referral_create(
        user=people["kari"],
        case=case_a,
        parents=[mother, father],
        referral=Referral(referred_on=TODAY, order="mix", goals="Begge foreldre"),
    )
    assert sorted(referral.followups.values_list("parent__relation", flat=True)) == [
        "father",
        "mother",
    ]


def test_a_parent_cannot_have_two_open_follow_ups(people, case_a, mother, followup):
    with pytest.raises(ValidationError):
        services.referral_create(
            user=people["kari"],
            case=case_a,
            parents=[mother],
            referral=Referral(referred_on=TODAY, order="guidance", goals="Igjen"),
        )


def test_only_parents_can_be_referred(people, case_a):
    child = Person.objects.get(case=case_a, relation="child")
    with pytest.raises(ValidationError):
        services.referral_create(
            user=people["kari"],
            case=case_a,
            parents=[child],
            referral=Referral(referred_on=TODAY, order="guidance", goals="x"),
        )


def test_only_the_section_leader_decides_and_a_return_needs_a_comment(people, case_a, mother):
    referral = services.referral_create(
        user=people["kari"],
        case=case_a,
        parents=[mother],
        referral=Referral(referred_on=TODAY, order="guidance", goals="x"),
    )
    with pytest.raises(ValidationError):
        services.referral_decide(
            user=people["sven"],
            referral=referral,
            approve=True,
            comment="",
            expected_version=referral.version,
        )
    with pytest.raises(ValidationError):
        services.referral_decide(
            user=people["siri"],
            referral=referral,
            approve=False,
            comment=" ",
            expected_version=referral.version,
        )
    services.referral_decide(
        user=people["siri"],
        referral=referral,
        approve=False,
        comment="Mangler mål",
        expected_version=referral.version,
    )
    assert referral.followups.get().state == State.RETURNED


def test_assignment_needs_approval_and_adds_the_counsellor_to_the_team(people, case_a, mother):
    referral = services.referral_create(
        user=people["kari"],
        case=case_a,
        parents=[mother],
        referral=Referral(referred_on=TODAY, order="guidance", goals="x"),
    )
    with pytest.raises(ValidationError):
        services.referral_assign(
            user=people["pia"],
            referral=referral,
            counsellor=people["per"],
            expected_version=referral.version,
        )
    services.referral_decide(
        user=people["siri"],
        referral=referral,
        approve=True,
        comment="",
        expected_version=referral.version,
    )
    with pytest.raises(ValidationError):
        services.referral_assign(
            user=people["siri"],
            referral=referral,
            counsellor=people["per"],
            expected_version=referral.version,
        )
    services.referral_assign(
        user=people["pia"],
        referral=referral,
        counsellor=people["per"],
        expected_version=referral.version,
    )
    assert case_a.counsellors.filter(pk=people["per"].pk).exists()


def test_no_activity_is_recorded_before_consent(people, followup):
    with pytest.raises(ValidationError):
        services.activity_add(user=people["ola"], followup=followup, instance=_contact())
    assert not Contact.objects.exists()


def test_consent_needs_the_parent_to_have_been_informed_first(people, followup):
    with pytest.raises(ValidationError):
        _consent(people, followup)
    _inform(people, followup)
    _consent(people, followup)
    followup.refresh_from_db()
    assert followup.state == State.CONSENTED


def test_a_declined_offer_gets_a_reoffer_date_that_reaches_the_caseworker(people, followup):
    _inform(people, followup)
    with pytest.raises(ValidationError):
        _consent(people, followup, kind=ConsentKind.DECLINED)
    _consent(people, followup, kind=ConsentKind.DECLINED, reoffer_on=TODAY + timedelta(days=60))
    followup.refresh_from_db()
    assert followup.state == State.DECLINED and followup.reoffer_on == TODAY + timedelta(days=60)
    reminders = selectors.reminders_for(people["kari"], today=TODAY)
    assert any(r.due == TODAY + timedelta(days=60) and "Anne Testmor" in r.text for r in reminders)


def test_a_withdrawal_pauses_the_follow_up_and_keeps_its_history(people, followup):
    _activate(people, followup)
    services.activity_add(user=people["ola"], followup=followup, instance=_contact())
    _consent(people, followup, kind=ConsentKind.WITHDRAWN)
    followup.refresh_from_db()
    assert followup.state == State.PAUSED
    assert followup.contacts.count() == 1 and followup.consents.count() == 2
    with pytest.raises(ValidationError):
        services.activity_add(user=people["ola"], followup=followup, instance=_contact())


def test_the_joint_start_meeting_needs_a_frame(people, followup):
    _inform(people, followup)
    _consent(people, followup)
    with pytest.raises(ValidationError):
        services.meeting_record(
            user=people["ola"],
            followup=followup,
            meeting=StartMeeting(kind=MeetingKind.JOINT, held_on=TODAY, participants="Mor"),
            frame={},
        )


def test_information_is_not_recorded_as_shared_without_consent_to_share(people, followup):
    _activate(people, followup)
    referral = ServiceReferral(
        service="nav", referred_on=TODAY, purpose="Økonomi", information_shared=True
    )
    with pytest.raises(ValidationError):
        services.activity_add(user=people["ola"], followup=followup, instance=referral)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceReferral.objects.create(
            followup=followup,
            service="nav",
            referred_on=TODAY,
            purpose="x",
            information_shared=True,
            recorded_by=people["ola"],
        )
    ok = ServiceReferral(
        service="nav",
        referred_on=TODAY,
        purpose="Økonomi",
        information_shared=True,
        consent_to_share=True,
        consent_on=TODAY,
    )
    services.activity_add(user=people["ola"], followup=followup, instance=ok)
    assert ServiceReferral.objects.filter(information_shared=True).count() == 1


def _reviewed_report(people, followup):
    report = services.report_write(
        user=people["ola"],
        followup=followup,
        report=FollowUpReport(
            period_start=TODAY, period_end=TODAY + timedelta(days=10), summary="Bra"
        ),
    )
    services.report_review(
        user=people["ola"],
        report=report,
        reviewed_on=TODAY,
        comments="",
        agreement="agrees",
        expected_version=report.version,
    )
    return report


def test_a_report_is_approved_only_after_review_and_by_the_units_approver(people, followup, unit):
    _activate(people, followup)
    report = services.report_write(
        user=people["ola"],
        followup=followup,
        report=FollowUpReport(
            period_start=TODAY, period_end=TODAY + timedelta(days=10), summary="Bra"
        ),
    )
    with pytest.raises(ValidationError):
        services.report_approve(user=people["siri"], report=report, expected_version=report.version)
    services.report_review(
        user=people["ola"],
        report=report,
        reviewed_on=TODAY,
        comments="Enig",
        agreement="agrees",
        expected_version=report.version,
    )
    with pytest.raises(ValidationError):
        services.report_approve(
            user=people["kari"],
            report=report,
            expected_version=report.version,
        )  # the section leader approves here
    services.report_approve(user=people["siri"], report=report, expected_version=report.version)
    assert report.state == ReviewState.APPROVED and report.approved_by == people["siri"]


def test_a_unit_can_let_the_caseworker_approve_reports(people, followup, unit):
    unit.report_approver = ReportApprover.CASEWORKER
    unit.save()
    _activate(people, followup)
    report = _reviewed_report(people, followup)
    with pytest.raises(ValidationError):
        services.report_approve(user=people["siri"], report=report, expected_version=report.version)
    services.report_approve(user=people["kari"], report=report, expected_version=report.version)
    assert report.state == ReviewState.APPROVED


def test_closing_after_the_lifting_gives_six_months_of_aftercare(people, case_a, followup):
    _activate(people, followup)
    TribunalDecision.objects.create(case=case_a, decided_on=date(2025, 2, 1), kind="care_order")
    lifting = TribunalDecision.objects.create(
        case=case_a, decided_on=date(2025, 8, 31), kind="lifting"
    )
    set_columns(case_a.placements.all(), end_date=date(2025, 9, 5))
    services.followup_close(
        user=people["ola"],
        followup=followup,
        closed_on=date(2025, 9, 10),
        reason=ClosureReason.REUNIFIED,
        note="",
        expected_version=followup.version,
    )
    followup.refresh_from_db()
    assert followup.state == State.CLOSED and followup.aftercare_until == date(2026, 2, 28)
    assert followup.lifting_decision == lifting


def test_the_report_reminder_follows_the_agreed_period(people, followup):
    _activate(people, followup)
    reminders = selectors.reminders_for(people["ola"], today=TODAY)
    # Started 2 June 2025 with a three-month period: the first report is due Tuesday 2 September.
    # The frame review (90 days) comes first, on 31 August.
    dues = [r.due for r in reminders if r.url.endswith(f"/{followup.pk}/")]
    assert dues == [date(2025, 8, 31), date(2025, 9, 2)]


def test_the_caseworker_is_reminded_to_offer_a_conversation_within_two_weeks(people, case_a):
    today = timezone.localdate()
    f.make_placement(
        case_a,
        f.make_place(case_a.section.unit),
        kind="emergency",
        start=today - timedelta(days=3),
        end=None,
    )
    reminders = selectors.reminders_for(people["kari"], today=today)
    due = [r for r in reminders if "Anne Testmor" in str(r.text)]
    assert due and all(r.due >= today for r in due)


def test_counsellor_load_counts_active_families(people, followup, unit):
    load = {c.username: c.families for c in selectors.counsellor_load(unit.pk)}
    assert load == {"ola": 1, "per": 0}


def test_the_offer_overview_finds_parents_never_offered(people, case_a, followup):
    father = f.make_parent(case_a, relation="father", first_name="Ole", last_name="Testfar")
    rows = {r.parent.pk: r.status for r in selectors.offer_overview(people["siri"], today=TODAY)}
    assert rows[father.pk] == "never"
    assert rows[followup.parent_id] == "offered"
    _inform(people, followup)
    _consent(people, followup)
    rows = {r.parent.pk: r.status for r in selectors.offer_overview(people["siri"], today=TODAY)}
    assert rows[followup.parent_id] == "accepted"


def test_a_counsellor_outside_the_case_sees_no_follow_ups(people, followup):
    assert not selectors.followups_visible_to(people["per"]).exists()
    assert FollowUp.objects.count() == 1
