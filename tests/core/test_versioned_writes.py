"""Generated checks that no write of a versioned record can pass by its version.

1. Every concrete `VersionedModel` (found in the app registry, not listed by hand), on a row of
   the demo data: a stale copy's `save()` is refused and changes nothing; `update()` and
   `bulk_update()`, which would change rows without claiming them, are refused.
2. Every service function (found in every app's `services` module): one that saves a record it
   was handed (or moves its state) must take the `expected_version` of the page the user acted
   on, unless it only creates records (listed below with the reason). A new service that saves
   an existing record without the check fails here.
"""

import ast
import importlib
import inspect
import textwrap

import pytest
from django.apps import apps
from django.core.management import call_command

from sammen.core.models import ConcurrentEditError, UnclaimedWriteError, VersionedModel
from sammen.insights.services import rates_for
from sammen.org.models import ServiceUnit

# Services that save only records they create themselves (a new row has no version to claim),
# or that claim what they were handed through a helper named here. Each with its reason.
CREATES_ONLY = {
    "cases.case_create": "opens a new case and its child",
    "cases.grant_create": "creates a grant (grants are not versioned; revoking locks the row)",
    "followup.referral_create": "creates the referral and its follow-ups",
    "followup.activity_add": "adds a new contact, session, phase, … (the follow-up is only read)",
    "followup.consent_record": "adds a consent event; the follow-up's state move claims the "
    "version read in the same request (VersionedModel.save)",
    "followup.meeting_record": "adds a start meeting; the follow-up's frame and state claim the "
    "version read in the same request (VersionedModel.save)",
    "visits.plan_create": "a plan is never changed: each change is a new version, numbered "
    "under a row lock against `based_on`",
    "visits.session_add": "creates a visit",
    "visits.sessions_generate": "creates the visits of a series",
    "visits.expense_add": "creates an expense",
    "timelog.time_entry_create": "creates a time entry",
    "visits.calendar_token_renew": "replaces the user's own secret address",
    "cases.grant_revoke": "locks the grant row (select_for_update) and refuses a second revoke",
}
WRITE_CALLS = {"save", "save_versioned", "carry_version"}
SERVICE_APPS = ("cases", "followup", "visits", "timelog", "insights", "audit")


def _versioned_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, VersionedModel) and not model._meta.abstract
    ]


def test_the_walk_finds_the_versioned_models():
    names = {m.__name__ for m in _versioned_models()}
    assert {"ChildCase", "FollowUpReport", "VisitReport", "Referral", "VisitSession"} <= names


@pytest.mark.django_db
def test_every_versioned_model_refuses_a_stale_save_and_bulk_writes():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    rates_for(ServiceUnit.objects.order_by("pk").first()).save()  # the demo keeps the defaults
    missing = []
    for model in _versioned_models():
        row = model.objects.order_by("pk").first()
        if row is None:
            missing.append(model.__name__)
            continue
        fresh, stale = model.objects.get(pk=row.pk), model.objects.get(pk=row.pk)
        fresh.save()
        before = model.objects.filter(pk=row.pk).values().get()
        with pytest.raises(ConcurrentEditError):
            stale.save()
        assert model.objects.filter(pk=row.pk).values().get() == before, model.__name__
        with pytest.raises(UnclaimedWriteError):
            model.objects.filter(pk=row.pk).update(version=1)
        with pytest.raises(UnclaimedWriteError):
            model.objects.bulk_update([fresh], ["version"])
        # The version the user's form was opened at is what a save claims.
        fresh.save_versioned(expected_version=fresh.version)
        with pytest.raises(ConcurrentEditError):
            fresh.save_versioned(expected_version=fresh.version - 1)
    assert not missing, f"the demo data has no row of {missing}: the walk cannot check them"


def _service_functions():
    for label in SERVICE_APPS:
        module = importlib.import_module(f"sammen.{label}.services")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                yield f"{label}.{name}", function


def _written_parameters(function) -> set[str]:
    """The parameters whose records the function saves (`x.save()`, `_move(x, …)`, …)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(function))))
    parameters = set(inspect.signature(function).parameters)
    written = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        if isinstance(target, ast.Attribute) and target.attr in WRITE_CALLS:
            if isinstance(target.value, ast.Name):
                written.add(target.value.id)
        elif isinstance(target, ast.Name) and target.id.startswith("_") and node.args:
            first = node.args[0]
            if isinstance(first, ast.Name) and target.id in {"_move"}:
                written.add(first.id)
    return written & parameters


def test_every_service_that_changes_a_record_it_was_handed_claims_the_opened_version():
    unchecked = []
    for name, function in _service_functions():
        written = _written_parameters(function)
        if not written or name in CREATES_ONLY:
            continue
        if "expected_version" not in inspect.signature(function).parameters:
            unchecked.append(f"{name} saves {sorted(written)} without expected_version")
    assert not unchecked, unchecked


def test_the_walk_finds_the_writing_services_and_the_list_names_only_real_ones():
    found = dict(_service_functions())
    assert not set(CREATES_ONLY) - set(found), set(CREATES_ONLY) - set(found)
    claiming = {
        n for n, fn in found.items() if "expected_version" in inspect.signature(fn).parameters
    }
    assert {
        "followup.report_write",
        "followup.report_review",
        "followup.report_approve",
        "followup.referral_resubmit",
        "followup.referral_decide",
        "followup.referral_assign",
        "followup.followup_close",
        "visits.report_review",
        "visits.report_approve",
        "visits.session_move",
        "cases.case_object_save",
    } <= claiming
    # The walk sees the writes: it must find what report_review saves.
    assert _written_parameters(found["followup.report_review"]) == {"report"}
