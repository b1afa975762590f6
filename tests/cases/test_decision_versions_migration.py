"""cases.0004 carries the tribunal decisions registered before versions were kept into version 1
of each."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0003_ruling_versions")]
AFTER = [("cases", "0004_decision_versions")]


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
def test_existing_decisions_become_version_1(case_a):
    old = migrate(BEFORE)
    Decision = old.get_model("cases", "TribunalDecision")
    Reference = old.get_model("cases", "LegalReference")
    basis = Reference.objects.filter(key="placement.care_order").first()
    decision = Decision.objects.create(
        case_id=case_a.pk,
        decided_on=date(2025, 3, 12),
        kind="care_order",
        legal_basis=basis,
        summary="Omsorgsovertakelse",
        appealed=True,
    )

    new = migrate(AFTER)
    Version = new.get_model("cases", "TribunalDecisionVersion")
    version = Version.objects.get(decision_id=decision.pk)
    assert version.number == 1
    assert version.reason == "registered before versions were kept"
    assert version.made_by_id is None and version.made_at is not None
    assert (version.decided_on, version.kind, version.summary, version.appealed) == (
        date(2025, 3, 12),
        "care_order",
        "Omsorgsovertakelse",
        True,
    )
    assert version.legal_basis_id == (basis.pk if basis else None)
    assert new.get_model("cases", "TribunalDecision").objects.get(pk=decision.pk).number == 1
