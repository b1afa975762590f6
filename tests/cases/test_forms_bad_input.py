"""Bad input to every form of the case app: the page comes back with errors, keeps what was
typed, and saves nothing. One happy path per form proves the error tests are not vacuous."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from sammen.access.models import AccessGrant
from sammen.cases.models import (
    ActionPlan,
    CarePlan,
    ChildCase,
    Person,
    PlacementPlace,
    TribunalDecision,
    VisitationRuling,
)

from .. import factories as f
from .form_helpers import (
    assert_refused,
    assert_typed_values_kept,
    refused_choices,
    row_state,
    saved_counts,
)

pytestmark = pytest.mark.django_db

REQUIRED = "Feltet er påkrevet."  # Django's own "This field is required." in bokmål


@pytest.fixture
def as_kari(client, people):
    client.force_login(people["kari"])
    return client


@pytest.fixture
def as_siri(client, people):
    client.force_login(people["siri"])
    return client


@pytest.fixture
def mother(case_a):
    return case_a.persons.get(relation="mother")


@pytest.fixture
def placement(case_a):
    return case_a.placements.get()


@pytest.fixture
def decision(case_a):
    return TribunalDecision.objects.create(
        case=case_a, decided_on=date(2025, 1, 20), kind="care_order", summary="Omsorgsovertakelse"
    )


@pytest.fixture
def ruling(decision, mother):
    return VisitationRuling.objects.create(
        decision=decision,
        visitor=mother,
        visits=1,
        period_length=2,
        period_unit="month",
        min_hours=2,
        supervision="supervised",
    )


@pytest.fixture
def care_plan(case_a, decision):
    return CarePlan.objects.create(
        case=case_a, kind="preliminary", decision=decision, made_on=date(2025, 1, 25)
    )


@pytest.fixture
def action_plan(case_a):
    return ActionPlan.objects.create(
        case=case_a, starts_on=date(2025, 1, 16), ends_on=date(2025, 6, 30), goals="Trygg hverdag"
    )


def _iso(day: date) -> str:
    return day.isoformat()


def _refused_and_nothing_saved(response, data, fields, before, *, form_key="form", rows=()):
    assert_refused(response, *fields, form_key=form_key)
    assert_typed_values_kept(response, data, ignore=refused_choices(response.context[form_key]))
    assert saved_counts() == before
    for instance, state in rows:
        assert row_state(instance) == state


# --- opening a case -----------------------------------------------------------------------


@pytest.fixture
def new_case_data(people, section_a):
    return {
        "child-first_name": "Typed name",
        "child-last_name": "Typedsen",
        "child-date_of_birth": "2015-04-03",
        "child-language": "somali",
        "child-interpreter_language": "",
        "section": section_a.pk,
        "caseworker": people["kari"].pk,
        "opened_on": _iso(timezone.localdate()),
        "petition_status": "none",
        "petition_date": "",
    }


def _child_23_today() -> str:
    return _iso(timezone.localdate() - relativedelta(years=23))


def _child_23_tomorrow() -> str:
    return _iso(timezone.localdate() - relativedelta(years=23) + timedelta(days=1))


NEW_CASE_BAD = [
    pytest.param(
        {"child-first_name": ""}, {"child": ["first_name"]}, id="child first name missing"
    ),
    pytest.param({"child-date_of_birth": ""}, {"child": ["date_of_birth"]}, id="birth missing"),
    pytest.param(
        {"child-date_of_birth": "31.02.2025"}, {"child": ["date_of_birth"]}, id="impossible date"
    ),
    pytest.param({"child-date_of_birth": "abc"}, {"child": ["date_of_birth"]}, id="garbage date"),
    pytest.param(
        {"child-date_of_birth": _iso(timezone.localdate() + timedelta(days=1))},
        {"child": ["date_of_birth"]},
        id="born tomorrow",
    ),
    pytest.param(
        {"child-date_of_birth": _child_23_today()}, {"child": ["date_of_birth"]}, id="aged 23 today"
    ),
    pytest.param({"child-date_of_birth": "1990-01-01"}, {"child": ["date_of_birth"]}, id="aged 35"),
    pytest.param(
        {"child-needs_interpreter": "on"},
        {"child": ["interpreter_language"]},
        id="interpreter needed without language",
    ),
    pytest.param({"section": ""}, {"case": ["section"]}, id="section missing"),
    pytest.param({"opened_on": "abc"}, {"case": ["opened_on"]}, id="garbage opened date"),
    pytest.param(
        {"petition_status": "sent"}, {"case": ["petition_date"]}, id="petition sent without date"
    ),
    pytest.param(
        {"child-first_name": "", "opened_on": ""},
        {"child": ["first_name"], "case": ["opened_on"]},
        id="errors in both forms at once",
    ),
]


@pytest.mark.parametrize("changes, errors", NEW_CASE_BAD)
def test_opening_a_case_with_bad_input_saves_neither_case_nor_child(
    as_kari, new_case_data, changes, errors
):
    data = {**new_case_data, **changes}
    before = saved_counts()
    response = as_kari.post(reverse("cases:create"), data)
    assert_refused(response, *errors.get("case", []), form_key="form")
    assert_refused(response, *errors.get("child", []), form_key="child_form")
    assert_typed_values_kept(response, data)
    assert saved_counts() == before
    assert not Person.objects.filter(last_name="Typedsen").exists()


def test_opening_a_case_with_a_caseworker_from_another_section_is_refused(
    as_kari, people, new_case_data
):
    data = {**new_case_data, "caseworker": people["cato"].pk}
    before = saved_counts()
    response = as_kari.post(reverse("cases:create"), data)
    _refused_and_nothing_saved(response, data, ["caseworker"], before)


def test_a_missing_child_name_gets_djangos_norwegian_required_message(as_kari, new_case_data):
    response = as_kari.post(reverse("cases:create"), {**new_case_data, "child-first_name": ""})
    assert response.context["child_form"].errors["first_name"] == [REQUIRED]
    assert REQUIRED in response.content.decode()


def test_the_typed_child_name_is_shown_again_after_an_error(as_kari, new_case_data):
    response = as_kari.post(reverse("cases:create"), {**new_case_data, "section": ""})
    assert 'value="Typed name"' in response.content.decode()


def test_opening_a_case_with_good_input_saves_the_case_and_the_child(as_kari, new_case_data):
    before = saved_counts()
    response = as_kari.post(reverse("cases:create"), new_case_data)
    assert response.status_code == 302
    child = Person.objects.get(last_name="Typedsen")
    assert child.relation == "child"
    assert response.url == reverse("cases:overview", args=[child.case_id])
    assert ChildCase.objects.count() == before["ChildCase"] + 1


def test_a_child_one_day_short_of_23_may_still_get_a_case(as_kari, new_case_data):
    response = as_kari.post(
        reverse("cases:create"), {**new_case_data, "child-date_of_birth": _child_23_tomorrow()}
    )
    assert response.status_code == 302


# --- editing the case ---------------------------------------------------------------------


@pytest.fixture
def case_data(case_a, people, section_a):
    return {
        "section": section_a.pk,
        "caseworker": people["kari"].pk,
        "opened_on": "2025-01-15",
        "closed_on": "",
        "petition_status": "preparing",
        "petition_date": "",
        "expected_version": case_a.version,
    }


@pytest.mark.parametrize(
    "changes, fields",
    [
        pytest.param({"opened_on": ""}, ["opened_on"], id="opened date missing"),
        pytest.param({"opened_on": "31.02.2025"}, ["opened_on"], id="impossible opened date"),
        pytest.param({"closed_on": "abc"}, ["closed_on"], id="garbage closed date"),
        pytest.param({"closed_on": "2025-01-14"}, ["closed_on"], id="closed before opened"),
        pytest.param({"caseworker": ""}, ["caseworker"], id="caseworker missing"),
        pytest.param({"petition_status": "sent"}, ["petition_date"], id="sent without date"),
        pytest.param({"petition_status": "maybe"}, ["petition_status"], id="unknown status"),
        pytest.param({"section": "999999"}, ["section"], id="unknown section"),
    ],
)
def test_editing_the_case_with_bad_input_changes_nothing(
    as_kari, case_a, case_data, changes, fields
):
    data = {**case_data, **changes}
    before, state = saved_counts(), row_state(case_a)
    response = as_kari.post(reverse("cases:edit", args=[case_a.pk]), data)
    _refused_and_nothing_saved(response, data, fields, before, rows=[(case_a, state)])


def test_editing_the_case_with_good_input_saves_it(as_kari, case_a, case_data):
    response = as_kari.post(reverse("cases:edit", args=[case_a.pk]), case_data)
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.petition_status == "preparing"
    assert case_a.version == 2


# --- persons ------------------------------------------------------------------------------


@pytest.fixture
def person_data():
    return {
        "relation": "father",
        "relation_detail": "Typed detail",
        "first_name": "Typed name",
        "last_name": "Typedsen",
        "date_of_birth": "1985-06-01",
        "language": "arabisk",
        "other_languages": "engelsk",
        "interpreter_language": "",
        "phone": "99 99 99 99",
    }


PERSON_BAD = [
    pytest.param({"first_name": ""}, ["first_name"], id="first name missing"),
    pytest.param({"relation": ""}, ["relation"], id="relation missing"),
    pytest.param({"relation": "child"}, ["relation"], id="a second child"),
    pytest.param(
        {"needs_interpreter": "on"}, ["interpreter_language"], id="interpreter without language"
    ),
    pytest.param({"date_of_birth": "31.02.2025"}, ["date_of_birth"], id="impossible date"),
    pytest.param({"date_of_birth": "abc"}, ["date_of_birth"], id="garbage date"),
    pytest.param(
        {"date_of_birth": _iso(timezone.localdate() + timedelta(days=1))},
        ["date_of_birth"],
        id="born tomorrow",
    ),
    pytest.param({"first_name": "x" * 81}, ["first_name"], id="name too long"),
]


@pytest.mark.parametrize("changes, fields", PERSON_BAD)
def test_adding_a_person_with_bad_input_saves_nothing(
    as_kari, case_a, person_data, changes, fields
):
    data = {**person_data, **changes}
    before = saved_counts()
    response = as_kari.post(reverse("cases:person_add", args=[case_a.pk]), data)
    _refused_and_nothing_saved(response, data, fields, before)


@pytest.mark.parametrize("changes, fields", PERSON_BAD)
def test_editing_a_person_with_bad_input_changes_nothing(
    as_kari, case_a, mother, person_data, changes, fields
):
    data = {**person_data, "relation": "mother", "expected_version": mother.version, **changes}
    before, state = saved_counts(), row_state(mother)
    response = as_kari.post(reverse("cases:person_edit", args=[case_a.pk, mother.pk]), data)
    _refused_and_nothing_saved(response, data, fields, before, rows=[(mother, state)])


def test_adding_a_person_with_good_input_saves_them(as_kari, case_a, person_data):
    response = as_kari.post(reverse("cases:person_add", args=[case_a.pk]), person_data)
    assert response.status_code == 302
    assert case_a.persons.filter(first_name="Typed name", relation="father").exists()


def test_editing_a_person_with_good_input_saves_them(as_kari, case_a, mother, person_data):
    data = {**person_data, "relation": "mother", "expected_version": mother.version}
    data.update(needs_interpreter="on", interpreter_language="arabisk")
    response = as_kari.post(reverse("cases:person_edit", args=[case_a.pk, mother.pk]), data)
    assert response.status_code == 302
    mother.refresh_from_db()
    assert (mother.first_name, mother.interpreter_language) == ("Typed name", "arabisk")


# --- placements ---------------------------------------------------------------------------


@pytest.fixture
def placement_data(place):
    # Before case_a's ongoing care-order placement (from 1 February 2025): no overlap.
    return {
        "kind": "emergency",
        "place": place.pk,
        "legal_basis": "",
        "start_date": "2024-11-01",
        "end_date": "2024-12-31",
        "notes": "Typed notes",
    }


PLACEMENT_BAD = [
    pytest.param({"kind": ""}, ["kind"], id="kind missing"),
    pytest.param({"place": ""}, ["place"], id="place missing"),
    pytest.param({"start_date": ""}, ["start_date"], id="start missing"),
    pytest.param({"end_date": "2024-10-31"}, ["end_date"], id="end before start"),
    pytest.param({"start_date": "31.02.2025"}, ["start_date"], id="impossible start"),
    pytest.param({"end_date": "abc"}, ["end_date"], id="garbage end"),
    pytest.param({"place": "abc"}, ["place"], id="garbage place"),
]


@pytest.mark.parametrize(
    "changes, fields",
    [
        *PLACEMENT_BAD,
        pytest.param(
            {"start_date": "2025-03-01", "end_date": ""}, ["start_date"], id="overlaps ongoing"
        ),
        pytest.param(
            {"start_date": "2024-12-01", "end_date": "2025-02-01"},
            ["start_date"],
            id="ends on the day the next starts",
        ),
    ],
)
def test_adding_a_placement_with_bad_input_saves_nothing(
    as_kari, case_a, placement_data, changes, fields
):
    data = {**placement_data, **changes}
    before = saved_counts()
    response = as_kari.post(reverse("cases:placement_add", args=[case_a.pk]), data)
    _refused_and_nothing_saved(response, data, fields, before)


@pytest.mark.parametrize(
    "changes, fields",
    [
        *PLACEMENT_BAD,
        pytest.param(
            {"start_date": "2024-12-01", "end_date": ""}, ["start_date"], id="overlaps earlier"
        ),
    ],
)
def test_editing_a_placement_with_bad_input_changes_nothing(
    as_kari, case_a, place, placement, placement_data, changes, fields
):
    f.make_placement(
        case_a, place, kind="emergency", start=date(2024, 11, 1), end=date(2024, 12, 31)
    )
    data = {
        **placement_data,
        "kind": "care_order",
        "start_date": "2025-02-01",
        "end_date": "2025-06-30",
        "expected_version": placement.version,
        **changes,
    }
    if "end_date" in fields and data["end_date"] == "2024-10-31":
        data["start_date"] = "2025-02-01"
    before, state = saved_counts(), row_state(placement)
    url = reverse("cases:placement_edit", args=[case_a.pk, placement.pk])
    response = as_kari.post(url, data)
    _refused_and_nothing_saved(response, data, fields, before, rows=[(placement, state)])


def test_adding_a_placement_with_good_input_saves_it(as_kari, case_a, placement_data):
    response = as_kari.post(reverse("cases:placement_add", args=[case_a.pk]), placement_data)
    assert response.status_code == 302
    saved = case_a.placements.get(kind="emergency")
    assert saved.legal_basis.key == "placement.emergency"


def test_editing_a_placement_with_good_input_saves_it(as_kari, case_a, placement, placement_data):
    data = {
        **placement_data,
        "kind": "care_order",
        "start_date": "2025-02-01",
        "end_date": "2025-06-30",
        "expected_version": placement.version,
    }
    response = as_kari.post(reverse("cases:placement_edit", args=[case_a.pk, placement.pk]), data)
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.end_date == date(2025, 6, 30)


# --- tribunal decisions -------------------------------------------------------------------


@pytest.fixture
def decision_data():
    return {
        "decided_on": "2025-01-20",
        "kind": "care_order",
        "legal_basis": "",
        "summary": "Typed summary",
        "appealed": "on",
    }


DECISION_BAD = [
    pytest.param({"decided_on": ""}, ["decided_on"], id="date missing"),
    pytest.param(
        {"decided_on": _iso(timezone.localdate() + timedelta(days=1))},
        ["decided_on"],
        id="date in the future",
    ),
    pytest.param({"decided_on": "31.02.2025"}, ["decided_on"], id="impossible date"),
    pytest.param({"decided_on": "abc"}, ["decided_on"], id="garbage date"),
    pytest.param({"kind": ""}, ["kind"], id="kind missing"),
    pytest.param({"kind": "pardon"}, ["kind"], id="unknown kind"),
    pytest.param({"legal_basis": "abc"}, ["legal_basis"], id="garbage legal basis"),
]


@pytest.mark.parametrize("changes, fields", DECISION_BAD)
def test_adding_a_decision_with_bad_input_saves_nothing(
    as_kari, case_a, decision_data, changes, fields
):
    data = {**decision_data, **changes}
    before = saved_counts()
    response = as_kari.post(reverse("cases:decision_add", args=[case_a.pk]), data)
    _refused_and_nothing_saved(response, data, fields, before)


@pytest.mark.parametrize("changes, fields", DECISION_BAD)
def test_editing_a_decision_with_bad_input_changes_nothing(
    as_kari, case_a, decision, decision_data, changes, fields
):
    data = {**decision_data, "expected_version": decision.version, "reason": "Typed", **changes}
    before, state = saved_counts(), row_state(decision)
    url = reverse("cases:decision_edit", args=[case_a.pk, decision.pk])
    response = as_kari.post(url, data)
    _refused_and_nothing_saved(response, data, fields, before, rows=[(decision, state)])


def test_adding_a_decision_with_good_input_saves_it(as_kari, case_a, decision_data):
    response = as_kari.post(reverse("cases:decision_add", args=[case_a.pk]), decision_data)
    assert response.status_code == 302
    assert case_a.decisions.filter(summary="Typed summary").exists()


def test_a_decision_dated_today_is_accepted(as_kari, case_a, decision_data):
    data = {**decision_data, "decided_on": _iso(timezone.localdate())}
    assert as_kari.post(reverse("cases:decision_add", args=[case_a.pk]), data).status_code == 302


def test_editing_a_decision_with_good_input_saves_it(as_kari, case_a, decision, decision_data):
    data = {**decision_data, "expected_version": decision.version, "reason": "Registreringsfeil"}
    url = reverse("cases:decision_edit", args=[case_a.pk, decision.pk])
    assert as_kari.post(url, data).status_code == 302
    decision.refresh_from_db()
    assert decision.summary == "Typed summary"
    assert decision.appealed


# --- visitation rulings -------------------------------------------------------------------


@pytest.fixture
def ruling_data(mother):
    return {
        "visitor": mother.pk,
        "visits": "3",
        "period_length": "2",
        "period_unit": "month",
        "min_hours": "2.5",
        "supervision": "supported",
        "conditions": "Typed conditions",
        "details_delegated": "on",
    }


@pytest.fixture
def child(case_a):
    return case_a.persons.get(relation="child")


RULING_BAD = [
    pytest.param({"visitor": ""}, ["visitor"], id="visitor missing"),
    pytest.param({"visits": ""}, ["visits"], id="visits missing"),
    pytest.param({"visits": "0"}, ["visits"], id="no visits"),
    pytest.param({"visits": "-1"}, ["visits"], id="negative visits"),
    pytest.param({"visits": "abc"}, ["visits"], id="garbage visits"),
    pytest.param({"period_length": "0"}, ["period_length"], id="period of zero"),
    pytest.param({"period_unit": "decade"}, ["period_unit"], id="unknown period"),
    pytest.param({"min_hours": "abc"}, ["min_hours"], id="garbage hours"),
    pytest.param({"min_hours": "-1"}, ["min_hours"], id="negative hours"),
    pytest.param({"min_hours": "10000"}, ["min_hours"], id="too many hours"),
    pytest.param({"supervision": ""}, ["supervision"], id="supervision missing"),
]


@pytest.mark.parametrize(
    "changes, fields",
    [*RULING_BAD, pytest.param({"visitor": "child"}, ["visitor"], id="the child as visitor")],
)
def test_adding_a_ruling_with_bad_input_saves_nothing(
    as_kari, case_a, decision, child, ruling_data, changes, fields
):
    data = {**ruling_data, **changes}
    if data["visitor"] == "child":
        data["visitor"] = child.pk
    before = saved_counts()
    response = as_kari.post(reverse("cases:ruling_add", args=[case_a.pk, decision.pk]), data)
    _refused_and_nothing_saved(response, data, fields, before)


# On a change the visitor is fixed (a ruling on another person is another ruling) and the
# reason for the change is required.
RULING_CHANGE_BAD = [
    *(p for p in RULING_BAD if p.id != "visitor missing"),
    pytest.param({"reason": ""}, ["reason"], id="no reason for the change"),
    pytest.param({"reason": "   "}, ["reason"], id="a blank reason for the change"),
]


@pytest.mark.parametrize("changes, fields", RULING_CHANGE_BAD)
def test_editing_a_ruling_with_bad_input_changes_nothing(
    as_kari, case_a, ruling, ruling_data, changes, fields
):
    data = {**ruling_data, "expected_version": ruling.version, "reason": "Ny kjennelse", **changes}
    before, state = saved_counts(), row_state(ruling)
    response = as_kari.post(reverse("cases:ruling_edit", args=[case_a.pk, ruling.pk]), data)
    _refused_and_nothing_saved(response, data, fields, before, rows=[(ruling, state)])


def test_a_ruling_for_a_decision_of_another_case_is_not_found(as_kari, case_a, case_b, ruling_data):
    other = TribunalDecision.objects.create(case=case_b, decided_on=date(2025, 1, 2), kind="other")
    before = saved_counts()
    response = as_kari.post(reverse("cases:ruling_add", args=[case_a.pk, other.pk]), ruling_data)
    assert response.status_code == 404
    assert saved_counts() == before


def test_adding_a_ruling_with_good_input_saves_it(as_kari, case_a, decision, ruling_data):
    response = as_kari.post(reverse("cases:ruling_add", args=[case_a.pk, decision.pk]), ruling_data)
    assert response.status_code == 302
    saved = decision.rulings.get()
    assert (saved.visits, str(saved.min_hours)) == (3, "2.5")


def test_editing_a_ruling_with_good_input_saves_it(as_kari, case_a, ruling, ruling_data):
    data = {**ruling_data, "expected_version": ruling.version, "reason": "Registreringsfeil"}
    response = as_kari.post(reverse("cases:ruling_edit", args=[case_a.pk, ruling.pk]), data)
    assert response.status_code == 302
    ruling.refresh_from_db()
    assert ruling.visits == 3


# --- care plans ---------------------------------------------------------------------------


@pytest.fixture
def care_plan_data(decision):
    return {
        "kind": "final",
        "decision": decision.pk,
        "made_on": "2025-03-01",
        "child_needs": "Typed needs",
        "parent_followup": "Typed follow-up",
        "parents_views": "",
        "next_review_on": "2025-09-01",
    }


@pytest.fixture
def other_decision(case_a):
    return TribunalDecision.objects.create(case=case_a, decided_on=date(2025, 1, 5), kind="other")


CARE_PLAN_BAD = [
    pytest.param({"kind": ""}, ["kind"], id="kind missing"),
    pytest.param({"kind": "draft"}, ["kind"], id="unknown kind"),
    pytest.param({"made_on": ""}, ["made_on"], id="date missing"),
    pytest.param({"made_on": "31.02.2025"}, ["made_on"], id="impossible date"),
    pytest.param({"next_review_on": "abc"}, ["next_review_on"], id="garbage review date"),
    pytest.param({"decision": "other"}, ["decision"], id="decision that is no care order"),
]


def _with_decision(data, other_decision):
    if data.get("decision") == "other":
        data["decision"] = other_decision.pk
    return data


@pytest.mark.parametrize("changes, fields", CARE_PLAN_BAD)
def test_adding_a_care_plan_with_bad_input_saves_nothing(
    as_kari, case_a, other_decision, care_plan_data, changes, fields
):
    data = _with_decision({**care_plan_data, **changes}, other_decision)
    before = saved_counts()
    response = as_kari.post(reverse("cases:careplan_add", args=[case_a.pk]), data)
    _refused_and_nothing_saved(response, data, fields, before)


@pytest.mark.parametrize("changes, fields", CARE_PLAN_BAD)
def test_editing_a_care_plan_with_bad_input_changes_nothing(
    as_kari, case_a, care_plan, other_decision, care_plan_data, changes, fields
):
    data = {**care_plan_data, "expected_version": care_plan.version, **changes}
    data = _with_decision(data, other_decision)
    before, state = saved_counts(), row_state(care_plan)
    url = reverse("cases:careplan_edit", args=[case_a.pk, care_plan.pk])
    response = as_kari.post(url, data)
    _refused_and_nothing_saved(response, data, fields, before, rows=[(care_plan, state)])


def test_adding_a_care_plan_with_good_input_saves_it(as_kari, case_a, care_plan_data):
    response = as_kari.post(reverse("cases:careplan_add", args=[case_a.pk]), care_plan_data)
    assert response.status_code == 302
    assert case_a.care_plans.filter(kind="final", child_needs="Typed needs").exists()


def test_editing_a_care_plan_with_good_input_saves_it(as_kari, case_a, care_plan, care_plan_data):
    data = {**care_plan_data, "expected_version": care_plan.version}
    url = reverse("cases:careplan_edit", args=[case_a.pk, care_plan.pk])
    assert as_kari.post(url, data).status_code == 302
    care_plan.refresh_from_db()
    assert care_plan.kind == "final"


# --- action plans -------------------------------------------------------------------------


@pytest.fixture
def action_plan_data():
    return {
        "starts_on": "2025-03-01",
        "ends_on": "2025-09-01",
        "goals": "Typed goals",
        "measures": "Typed measures",
        "evaluated_on": "",
    }


ACTION_PLAN_BAD = [
    pytest.param({"goals": ""}, ["goals"], id="goals missing"),
    pytest.param({"starts_on": ""}, ["starts_on"], id="start missing"),
    pytest.param({"ends_on": ""}, ["ends_on"], id="end missing"),
    pytest.param({"ends_on": "2025-02-28"}, ["ends_on"], id="ends before it starts"),
    pytest.param({"starts_on": "31.02.2025"}, ["starts_on"], id="impossible start"),
    pytest.param({"evaluated_on": "abc"}, ["evaluated_on"], id="garbage evaluation date"),
]


@pytest.mark.parametrize("changes, fields", ACTION_PLAN_BAD)
def test_adding_an_action_plan_with_bad_input_saves_nothing(
    as_kari, case_a, action_plan_data, changes, fields
):
    data = {**action_plan_data, **changes}
    before = saved_counts()
    response = as_kari.post(reverse("cases:actionplan_add", args=[case_a.pk]), data)
    _refused_and_nothing_saved(response, data, fields, before)


@pytest.mark.parametrize("changes, fields", ACTION_PLAN_BAD)
def test_editing_an_action_plan_with_bad_input_changes_nothing(
    as_kari, case_a, action_plan, action_plan_data, changes, fields
):
    data = {**action_plan_data, "expected_version": action_plan.version, **changes}
    before, state = saved_counts(), row_state(action_plan)
    url = reverse("cases:actionplan_edit", args=[case_a.pk, action_plan.pk])
    response = as_kari.post(url, data)
    _refused_and_nothing_saved(response, data, fields, before, rows=[(action_plan, state)])


def test_an_action_plan_may_start_and_end_on_the_same_day(as_kari, case_a, action_plan_data):
    data = {**action_plan_data, "ends_on": action_plan_data["starts_on"]}
    assert as_kari.post(reverse("cases:actionplan_add", args=[case_a.pk]), data).status_code == 302


def test_editing_an_action_plan_with_good_input_saves_it(
    as_kari, case_a, action_plan, action_plan_data
):
    data = {**action_plan_data, "expected_version": action_plan.version}
    url = reverse("cases:actionplan_edit", args=[case_a.pk, action_plan.pk])
    assert as_kari.post(url, data).status_code == 302
    action_plan.refresh_from_db()
    assert action_plan.goals == "Typed goals"


# --- the team -----------------------------------------------------------------------------


@pytest.fixture
def team_data(case_a, people):
    return {
        "caseworker": people["kari"].pk,
        "counsellors": [people["ola"].pk, people["per"].pk],
        "expected_version": case_a.version,
    }


@pytest.mark.parametrize(
    "changes, fields",
    [
        pytest.param({"caseworker": ""}, ["caseworker"], id="caseworker missing"),
        pytest.param({"caseworker": "ola"}, ["caseworker"], id="a counsellor as caseworker"),
        pytest.param({"caseworker": "abc"}, ["caseworker"], id="garbage caseworker"),
        pytest.param({"counsellors": ["abc"]}, ["counsellors"], id="garbage counsellor"),
        pytest.param({"counsellors": ["kari"]}, ["counsellors"], id="a caseworker as counsellor"),
    ],
)
def test_changing_the_team_with_bad_input_changes_nothing(
    as_siri, people, case_a, team_data, changes, fields
):
    data = {**team_data, **changes}
    if data["caseworker"] == "ola":
        data["caseworker"] = people["ola"].pk
    if data["counsellors"] == ["kari"]:
        data["counsellors"] = [people["kari"].pk]
    before, state = saved_counts(), row_state(case_a)
    response = as_siri.post(reverse("cases:team", args=[case_a.pk]), data)
    _refused_and_nothing_saved(response, data, fields, before, rows=[(case_a, state)])


def test_changing_the_team_with_good_input_saves_it(as_siri, people, case_a, team_data):
    response = as_siri.post(reverse("cases:team", args=[case_a.pk]), team_data)
    assert response.status_code == 302
    assert set(case_a.counsellors.all()) == {people["ola"], people["per"]}


# --- access grants ------------------------------------------------------------------------


def _local_minutes(delta: timedelta) -> str:
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def grant_data(people):
    return {
        "user": people["per"].pk,
        "reason": "Typed reason: covering for the caseworker",
        "can_edit": "on",
        "valid_until": _local_minutes(timedelta(days=30)),
    }


@pytest.mark.parametrize(
    "changes, fields",
    [
        pytest.param({"user": ""}, ["user"], id="nobody chosen"),
        pytest.param({"user": "adam"}, ["user"], id="the administrator"),
        pytest.param({"reason": ""}, ["reason"], id="reason missing"),
        pytest.param({"reason": "Typed"}, ["reason"], id="reason too short"),
        pytest.param({"reason": "   Typed     "}, ["reason"], id="reason short after trimming"),
        pytest.param(
            {"valid_until": _local_minutes(timedelta(days=91))},
            ["valid_until"],
            id="beyond 90 days",
        ),
        pytest.param(
            {"valid_until": _local_minutes(-timedelta(days=1))}, ["valid_until"], id="in the past"
        ),
        pytest.param({"valid_until": ""}, ["valid_until"], id="end missing"),
        pytest.param({"valid_until": "abc"}, ["valid_until"], id="garbage end"),
        pytest.param({"valid_until": "2025-02-31T10:00"}, ["valid_until"], id="impossible end"),
    ],
)
def test_granting_access_with_bad_input_saves_nothing(
    as_siri, people, case_a, grant_data, changes, fields
):
    data = {**grant_data, **changes}
    if data["user"] == "adam":
        data["user"] = people["adam"].pk
    before = saved_counts()
    response = as_siri.post(reverse("cases:grants", args=[case_a.pk]), data)
    _refused_and_nothing_saved(response, data, fields, before)


def test_granting_access_with_good_input_saves_the_grant(as_siri, people, case_a, grant_data):
    response = as_siri.post(reverse("cases:grants", args=[case_a.pk]), grant_data)
    assert response.status_code == 302
    grant = AccessGrant.objects.get(case=case_a)
    assert (grant.user, grant.granted_by, grant.can_edit) == (people["per"], people["siri"], True)


# --- placement places ---------------------------------------------------------------------


def place_data_defaults():
    return {
        "name": "Typed place",
        "kind": "institution",
        "municipality": "Typed town",
        "phone": "22 22 22 22",
        "is_active": "on",
    }


PLACE_BAD = [
    pytest.param({"name": ""}, ["name"], id="name missing"),
    pytest.param({"kind": ""}, ["kind"], id="kind missing"),
    pytest.param({"kind": "castle"}, ["kind"], id="unknown kind"),
    pytest.param({"name": "x" * 121}, ["name"], id="name too long"),
    pytest.param({"name": "Beredskapshjem Sol"}, ["name"], id="name already used in the unit"),
]


@pytest.mark.parametrize("changes, fields", PLACE_BAD)
def test_adding_a_place_with_bad_input_saves_nothing(as_kari, unit, place, changes, fields):
    f.make_place(unit, "Beredskapshjem Sol", kind="emergency_home")
    data = {**place_data_defaults(), **changes}
    before = saved_counts()
    response = as_kari.post(reverse("cases:place_add"), data)
    _refused_and_nothing_saved(response, data, fields, before)


@pytest.mark.parametrize("changes, fields", PLACE_BAD)
def test_editing_a_place_with_bad_input_changes_nothing(as_kari, unit, place, changes, fields):
    f.make_place(unit, "Beredskapshjem Sol", kind="emergency_home")
    data = {**place_data_defaults(), "expected_version": place.version, **changes}
    before, state = saved_counts(), row_state(place)
    response = as_kari.post(reverse("cases:place_edit", args=[place.pk]), data)
    _refused_and_nothing_saved(response, data, fields, before, rows=[(place, state)])


def test_a_place_may_share_its_name_with_a_place_of_another_unit(as_kari, place):
    f.make_place(f.make_unit(), "Typed place")
    response = as_kari.post(reverse("cases:place_add"), place_data_defaults())
    assert response.status_code == 302


def test_adding_a_place_with_good_input_saves_it(as_kari, people, unit):
    response = as_kari.post(reverse("cases:place_add"), place_data_defaults())
    assert response.status_code == 302
    assert PlacementPlace.objects.get(name="Typed place").unit == unit


def test_editing_a_place_with_good_input_saves_it(as_kari, place):
    data = {**place_data_defaults(), "name": "Fosterhjem Lien", "expected_version": place.version}
    response = as_kari.post(reverse("cases:place_edit", args=[place.pk]), data)
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.kind, place.version) == ("institution", 2)
