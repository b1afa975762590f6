"""cases.0003 and visits.0004 carry the rulings registered before versions were kept into
version 1 of each, and point each existing plan at the version of its ruling."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0002_legal_references"), ("visits", "0003_visitsession_replaces")]
AFTER = [("cases", "0003_ruling_versions"), ("visits", "0004_visitplan_ruling_version")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def _back_to_the_latest_schema():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_back_to_the_latest_schema")
def test_existing_rulings_become_version_1_and_plans_point_at_it(people, case_a):
    old = migrate(BEFORE)
    Person = old.get_model("cases", "Person")
    Decision = old.get_model("cases", "TribunalDecision")
    Ruling = old.get_model("cases", "VisitationRuling")
    Plan = old.get_model("visits", "VisitPlan")
    mother = Person.objects.get(case_id=case_a.pk, relation="mother")
    decision = Decision.objects.create(
        case_id=case_a.pk, decided_on=date(2025, 3, 12), kind="care_order"
    )
    ruling = Ruling.objects.create(
        decision=decision,
        visitor=mother,
        visits=1,
        period_length=2,
        period_unit="month",
        min_hours=2,
        supervision="supervised",
        conditions="Ikke på skolen",
    )
    plan = Plan.objects.create(
        case_id=case_a.pk,
        visitor=mother,
        ruling=ruling,
        number=1,
        starts_on=date(2026, 1, 5),
        evaluate_on=date(2026, 6, 5),
        visits=1,
        period_length=2,
        period_unit="month",
        hours=2,
        place_kind="office",
        supervision="supervised",
        made_by_id=people["kari"].pk,
    )

    new = migrate(AFTER)
    Version = new.get_model("cases", "VisitationRulingVersion")
    version = Version.objects.get(ruling_id=ruling.pk)
    assert version.number == 1
    assert version.reason == "registered before versions were kept"
    assert version.made_by_id is None and version.made_at is not None
    assert (version.visits, version.period_length, version.conditions) == (1, 2, "Ikke på skolen")
    assert new.get_model("cases", "VisitationRuling").objects.get(pk=ruling.pk).number == 1
    assert new.get_model("visits", "VisitPlan").objects.get(pk=plan.pk).ruling_version_id == (
        version.pk
    )
