# ruff: noqa: F811 — the fixtures imported below are the tests' arguments
"""No lost update: two people act on a record from the same version; exactly one wins.

On PostgreSQL the two changes run at the same moment, in two threads with their own database
connections and transactions (the second claim waits for the first one's row lock, then finds
the version moved on). On SQLite, whose writers are serialised anyway (and whose in-memory test
database cannot be shared by threads the way a file is), the second runs after the first.
Each scenario runs several rounds; the loser is refused with `ConcurrentEditError` and the row
holds the winner's values, never a mix.
"""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from sammen.cases.review import ReviewState
from sammen.core.models import ConcurrentEditError
from sammen.followup import services
from sammen.followup.models import FollowUpReport, Referral
from sammen.visits import services as visit_services
from sammen.visits.models import VisitReport
from tests.followup.test_services import _activate, followup, mother  # noqa: F401 — fixtures
from tests.visits.conftest import decision, plan, ruling  # noqa: F401 — fixtures

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 5
TODAY = timezone.localdate()


def _race(*changes) -> list[str]:
    """Run each change in a transaction of its own, at once on PostgreSQL; 'saved' or 'refused'."""
    outcomes = [None] * len(changes)
    barrier = threading.Barrier(len(changes))

    def run(i, change, concurrent):
        try:
            if concurrent:
                barrier.wait(timeout=10)
            with transaction.atomic():
                change()
            outcomes[i] = "saved"
        except ValidationError:  # ConcurrentEditError, or a state rule seeing the winner's change
            outcomes[i] = "refused"
        finally:
            if concurrent:
                connection.close()

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=run, args=(i, c, True)) for i, c in enumerate(changes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    else:
        for i, change in enumerate(changes):
            run(i, change, False)
    return outcomes


def _draft(people, followup, **values) -> FollowUpReport:
    return services.report_write(
        user=people["ola"],
        followup=followup,
        report=FollowUpReport(
            period_start=TODAY - timedelta(days=30), period_end=TODAY, summary="Utkast", **values
        ),
    )


def _edit(people, report_pk, version, summary):
    def change():
        report = FollowUpReport.objects.get(pk=report_pk)
        report.summary = summary
        services.report_write(
            user=people["ola"],
            followup=report.followup,
            report=report,
            expected_version=version,
        )

    return change


def _review(people, report_pk, version, comments, model=FollowUpReport, service=services):
    def change():
        service.report_review(
            user=people["ola"],
            report=model.objects.get(pk=report_pk),
            reviewed_on=TODAY,
            comments=comments,
            agreement="partly",
            expected_version=version,
        )

    return change


def _approve(people, report_pk, version, model=FollowUpReport, service=services):
    def change():
        service.report_approve(
            user=people["siri"], report=model.objects.get(pk=report_pk), expected_version=version
        )

    return change


def _one_winner(outcomes):
    assert sorted(outcomes) == ["refused", "saved"], outcomes
    return outcomes.index("saved")


def test_two_edits_of_a_draft_report_one_wins_and_its_text_is_kept(people, followup):
    _activate(people, followup)
    for _ in range(ROUNDS):
        report = _draft(people, followup)
        texts = ["Tekst fra Ola", "Tekst fra Per"]
        outcomes = _race(*(_edit(people, report.pk, report.version, t) for t in texts))
        winner = _one_winner(outcomes)
        assert FollowUpReport.objects.get(pk=report.pk).summary == texts[winner]


def test_an_edit_and_a_review_of_the_same_draft_one_wins_whole(people, followup):
    _activate(people, followup)
    for _ in range(ROUNDS):
        report = _draft(people, followup)
        outcomes = _race(
            _edit(people, report.pk, report.version, "Endret tekst"),
            _review(people, report.pk, report.version, "Mor er delvis enig"),
        )
        winner = _one_winner(outcomes)
        saved = FollowUpReport.objects.get(pk=report.pk)
        if winner == 0:
            assert (saved.state, saved.summary, saved.parent_comments) == (
                ReviewState.DRAFT,
                "Endret tekst",
                "",
            )
        else:
            assert (saved.state, saved.summary, saved.parent_comments) == (
                ReviewState.REVIEWED,
                "Utkast",
                "Mor er delvis enig",
            )


def test_an_approval_and_a_new_review_one_wins_and_an_approval_always_has_its_approver(
    people, followup
):
    _activate(people, followup)
    for _ in range(ROUNDS):
        report = _draft(people, followup)
        _review(people, report.pk, report.version, "Første gjennomgang")()
        version = FollowUpReport.objects.get(pk=report.pk).version
        outcomes = _race(
            _approve(people, report.pk, version),
            _review(people, report.pk, version, "Ny gjennomgang"),
        )
        winner = _one_winner(outcomes)
        saved = FollowUpReport.objects.get(pk=report.pk)
        if winner == 0:
            assert saved.state == ReviewState.APPROVED and saved.approved_by == people["siri"]
            assert saved.parent_comments == "Første gjennomgang"
        else:
            assert saved.state == ReviewState.REVIEWED and saved.approved_by is None
            assert saved.parent_comments == "Ny gjennomgang"


def test_two_resubmissions_of_a_returned_referral_one_wins(people, case_a, mother):  # noqa: F811
    for i in range(ROUNDS):
        referral = services.referral_create(
            user=people["kari"],
            case=case_a,
            parents=[mother],
            referral=Referral(referred_on=TODAY, order="guidance", goals="Støtte mor"),
        )
        services.referral_decide(
            user=people["siri"],
            referral=referral,
            approve=False,
            comment="Mål mangler",
            expected_version=referral.version,
        )
        version = Referral.objects.get(pk=referral.pk).version

        def resubmit(goals, referral=referral, version=version):
            def change():
                fresh = Referral.objects.get(pk=referral.pk)
                fresh.goals = goals
                services.referral_resubmit(
                    user=people["kari"], referral=fresh, expected_version=version
                )

            return change

        goals = [f"Mål A {i}", f"Mål B {i}"]
        winner = _one_winner(_race(resubmit(goals[0]), resubmit(goals[1])))
        saved = Referral.objects.get(pk=referral.pk)
        assert saved.goals == goals[winner]
        assert {f.state for f in saved.followups.all()} == {"referred"}
        for f in saved.followups.all():  # close it, so that the next round may refer again
            f.state = "closed"
            f.save()


def test_a_decision_on_a_referral_changed_meanwhile_is_refused(people, case_a, mother):  # noqa: F811
    referral = services.referral_create(
        user=people["kari"],
        case=case_a,
        parents=[mother],
        referral=Referral(referred_on=TODAY, order="guidance", goals="Støtte mor"),
    )
    opened = referral.version
    referral.goals = "Nye mål"
    referral.save()
    with pytest.raises(ConcurrentEditError):
        services.referral_decide(
            user=people["siri"],
            referral=Referral.objects.get(pk=referral.pk),
            approve=True,
            comment="",
            expected_version=opened,
        )
    assert {f.state for f in referral.followups.all()} == {"referred"}


def test_visit_reports_approval_and_review_one_wins(people, plan):  # noqa: F811
    for _ in range(ROUNDS):
        report = visit_services.report_write(
            user=people["ola"],
            plan=plan,
            report=VisitReport(
                period_start=TODAY - timedelta(days=14), period_end=TODAY, summary="Fint"
            ),
        )
        _review(people, report.pk, report.version, "Først", VisitReport, visit_services)()
        version = VisitReport.objects.get(pk=report.pk).version
        outcomes = _race(
            _approve(people, report.pk, version, VisitReport, visit_services),
            _review(people, report.pk, version, "Så", VisitReport, visit_services),
        )
        winner = _one_winner(outcomes)
        saved = VisitReport.objects.get(pk=report.pk)
        assert (saved.state == ReviewState.APPROVED) == (winner == 0)
        assert (saved.approved_by_id is not None) == (winner == 0)


def _contact(people, followup):
    from sammen.followup.models import Contact

    return services.activity_add(
        user=people["ola"],
        followup=followup,
        instance=Contact(
            held_on=TODAY, with_whom="parent", place="home", method="conversation", minutes=30
        ),
    )


def _correct(people, contact_pk, version, notes):
    def change():
        from sammen.followup.models import Contact

        contact = Contact.objects.get(pk=contact_pk)
        contact.notes = notes
        services.contact_correct(
            user=people["ola"], contact=contact, reason="rettet", expected_version=version
        )

    return change


def test_two_corrections_of_a_contact_one_wins_and_one_earlier_version_is_kept(people, followup):
    from sammen.followup.models import Contact, ContactRevision

    _activate(people, followup)
    for _ in range(ROUNDS):
        contact = _contact(people, followup)
        notes = ["Rettet av Ola", "Rettet av Per"]
        outcomes = _race(*(_correct(people, contact.pk, contact.version, n) for n in notes))
        winner = _one_winner(outcomes)
        assert Contact.objects.get(pk=contact.pk).notes == notes[winner]
        assert ContactRevision.objects.filter(contact=contact).count() == 1


def test_a_deletion_and_an_edit_of_a_draft_one_wins(people, followup):
    _activate(people, followup)
    for _ in range(ROUNDS):
        report = _draft(people, followup)

        def delete(pk=report.pk, version=report.version):
            services.report_delete(
                user=people["ola"],
                report=FollowUpReport.objects.get(pk=pk),
                expected_version=version,
            )

        def edit(pk=report.pk, version=report.version):
            stored = FollowUpReport.objects.filter(pk=pk).first()
            if stored is None:  # deleted first: the page would answer 404
                raise ValidationError("deleted")
            stored.summary = "Endret tekst"
            services.report_write(
                user=people["ola"],
                followup=stored.followup,
                report=stored,
                expected_version=version,
            )

        outcomes = _race(delete, edit)
        winner = _one_winner(outcomes)
        survived = FollowUpReport.objects.filter(pk=report.pk).first()
        if winner == 0:
            assert survived is None
        else:
            assert survived.summary == "Endret tekst"


def test_two_changes_of_a_tribunal_decision_one_wins_with_one_new_version(people, case_a):
    from sammen.cases import services as case_services
    from sammen.cases.models import TribunalDecision, TribunalDecisionVersion

    for round_ in range(ROUNDS):
        decision = case_services.decision_save(
            user=people["kari"],
            case=case_a,
            decision=TribunalDecision(
                case=case_a, decided_on=TODAY - timedelta(days=40 + round_), kind="other"
            ),
            expected_version=None,
        )
        summaries = ["Rettet av Kari", "Rettet av Siri"]

        def change(summary, pk=decision.pk, version=decision.version):
            def run():
                stored = TribunalDecision.objects.get(pk=pk)
                stored.summary = summary
                case_services.decision_save(
                    user=people["kari"],
                    case=case_a,
                    decision=stored,
                    reason="registreringsfeil",
                    expected_version=version,
                )

            return run

        outcomes = _race(*(change(s) for s in summaries))
        winner = _one_winner(outcomes)
        assert TribunalDecision.objects.get(pk=decision.pk).summary == summaries[winner]
        versions = TribunalDecisionVersion.objects.filter(decision_id=decision.pk)
        assert sorted(versions.values_list("number", flat=True)) == [1, 2]
