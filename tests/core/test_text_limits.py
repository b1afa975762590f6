"""Every text field of every form has a maximum length (issue 11: a note once took 200 000
characters), shown to the user and enforced by the server.

1. A generated walk over every form class of the project (every app's `forms` module and
   `cases.review_forms`, and any other form class defined in `sammen`): each `CharField` has a
   `max_length`, its widget renders `maxlength`, and its description states the limit.
2. Client tests: an overlong note comes back on the form with the message naming the limit and
   the length, the typed text kept, and nothing saved; a note at the limit is saved.
"""

import importlib
import importlib.util
import inspect
import pkgutil
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

import sammen
from sammen.cases.models import Placement, TribunalDecision, VisitationRuling
from sammen.cases.review_forms import ReviewForm
from sammen.core.forms import (
    LONG_TEXT_MAX_LENGTH,
    SHORT_TEXT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    SignInForm,
    TextLengthValidator,
    grouped,
)
from sammen.followup import forms as followup_forms
from sammen.followup.models import Contact, FollowUp
from sammen.org.models import User
from sammen.visits import forms as visits_forms
from sammen.visits.models import VisitPlan

from .. import factories as f
from ..cases.form_helpers import assert_refused, saved_counts, shown_values

pytestmark = pytest.mark.django_db

TOO_LONG = "The text is too long: %(length)s characters, at most %(limit)s."


# --- finding every form -------------------------------------------------------------------


def _form_modules() -> list[str]:
    names = [
        f"sammen.{info.name}.forms"
        for info in pkgutil.iter_modules(sammen.__path__)
        if info.ispkg and importlib.util.find_spec(f"sammen.{info.name}.forms")
    ]
    return [*names, "sammen.cases.review_forms"]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _project_forms() -> list[type]:
    for name in _form_modules():
        importlib.import_module(name)
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("sammen.") and not cls.__name__.startswith("_")
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


FORMS = _project_forms()


def _keyword_arguments(cls) -> set[str]:
    """The keyword-only arguments of the form's own `__init__`s (case=, user=, plan=, …)."""
    names = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass.__module__.startswith("django."):
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
                names.add(parameter.name)
    return names


@pytest.fixture
def visit_plan(case_a, people):
    mother = case_a.persons.get(relation="mother")
    decision = TribunalDecision.objects.create(
        case=case_a, decided_on=date(2025, 3, 12), kind="care_order"
    )
    ruling = VisitationRuling.objects.create(
        decision=decision,
        visitor=mother,
        visits=1,
        period_length=2,
        period_unit="month",
        min_hours=Decimal("2"),
        supervision="supervised",
    )
    start = date(2026, 1, 5)
    return VisitPlan.objects.create(
        case=case_a,
        ruling=ruling,
        made_by=people["kari"],
        number=1,
        visitor=mother,
        starts_on=start,
        evaluate_on=start + timedelta(days=180),
        visits=1,
        period_length=2,
        period_unit="month",
        hours=Decimal("2"),
        place_kind="office",
        supervision="supervised",
        purposes=["bonds"],
    )


@pytest.fixture
def build_form(case_a, people, unit, visit_plan):
    """Builds any form of the project, unbound, with what its `__init__` asks for."""
    known = {
        "case": case_a,
        "user": people["kari"],
        "plan": visit_plan,
        "people": User.objects.filter(unit=unit),
        "unit_id": unit.pk,
        "load": [],
        "today": timezone.localdate(),
        "version": 1,
    }

    def build(cls):
        wanted = _keyword_arguments(cls)
        unknown = wanted - known.keys()
        assert not unknown, f"teach this test how to build {cls.__name__}: {sorted(unknown)}"
        kwargs = {name: known[name] for name in wanted}
        model = getattr(getattr(cls, "_meta", None), "model", None)
        if model is case_a.__class__:
            kwargs["instance"] = case_a  # the team form edits an existing case
        return cls(**kwargs)

    return build


def test_the_walk_finds_the_forms_of_every_app():
    names = {f"{cls.__module__}.{cls.__name__}" for cls in FORMS}
    assert {
        "sammen.core.forms.SignInForm",
        "sammen.cases.forms.PlacementForm",
        "sammen.cases.review_forms.ReviewForm",
        "sammen.followup.forms.ContactForm",
        "sammen.visits.forms.RecordForm",
        "sammen.timelog.forms.TimeEntryForm",
        "sammen.insights.forms.RatesForm",
    } <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_text_field_has_a_maximum_length_shown_to_the_user(build_form, form_class):
    form = build_form(form_class)
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField):
            continue
        where = f"{form_class.__name__}.{name}"
        assert field.max_length, f"{where} takes text of any length"
        assert any(isinstance(v, TextLengthValidator) for v in field.validators), where
        bound = form[name]
        if bound.is_hidden:
            continue
        html = bound.as_field_group()
        assert f'maxlength="{field.max_length}"' in html, f"{where} renders no maxlength"
        if isinstance(field.widget, forms.PasswordInput):
            continue
        assert bound.max_length_text and bound.max_length_text in html, f"{where}: limit not stated"
        described = re.search(r'aria-describedby="([^"]*)"', str(bound))
        assert described and f"{bound.auto_id}_helptext" in described[1], where


# --- the limits ---------------------------------------------------------------------------


def test_a_text_area_gets_the_default_and_a_model_column_keeps_its_own(case_a):
    contact = followup_forms.ContactForm()
    assert contact.fields["notes"].max_length == TEXT_MAX_LENGTH
    assert contact.fields["next_steps"].max_length == TEXT_MAX_LENGTH
    assert ReviewForm().fields["comments"].max_length == TEXT_MAX_LENGTH
    assert followup_forms.CloseForm().fields["note"].max_length == TEXT_MAX_LENGTH
    assert followup_forms.MeetingForm().fields["participants"].max_length == 300


def test_the_main_text_of_a_report_may_be_longer(visit_plan):
    for form in (followup_forms.ReportForm(), visits_forms.ReportForm(plan=visit_plan)):
        assert form.fields["summary"].max_length == LONG_TEXT_MAX_LENGTH
        assert form.fields["assessment"].max_length == TEXT_MAX_LENGTH


def test_a_one_line_field_without_a_column_gets_the_short_default(people):
    from sammen.cases.forms import CaseFilterForm

    assert CaseFilterForm(user=people["kari"]).fields["q"].max_length == SHORT_TEXT_MAX_LENGTH
    sign_in = SignInForm(request=None)
    assert sign_in.fields["password"].max_length == SHORT_TEXT_MAX_LENGTH
    assert sign_in.fields["username"].max_length == 150  # the user model's column


def test_the_limit_is_stated_with_the_thousands_grouped():
    with translation.override("nb"):
        assert grouped(10_000) == "10\u202f000"
        assert grouped(200_000) == "200\u202f000"
        assert grouped(999) == "999"
    with translation.override("en"):
        assert grouped(10_000) == "10,000"
        html = followup_forms.ContactForm()["notes"].as_field_group()
    assert "At most 10,000 characters." in html
    assert 'data-counter-left="Characters left:"' in html


def test_a_text_at_the_limit_passes_and_one_character_more_is_refused():
    at_limit = followup_forms.CloseForm(data={"note": "x" * TEXT_MAX_LENGTH})
    at_limit.is_valid()
    assert "note" not in at_limit.errors
    with translation.override("en"):
        over = followup_forms.CloseForm(data={"note": "x" * (TEXT_MAX_LENGTH + 1)})
        assert over.errors["note"] == ["The text is too long: 10,001 characters, at most 10,000."]


def test_a_line_break_counts_as_one_character_as_in_the_browser():
    # Browsers count a line break once for maxlength but send it as CR LF.
    note = "ab\r\n" * (TEXT_MAX_LENGTH // 3)
    form = followup_forms.CloseForm(data={"note": note})
    form.is_valid()
    assert "note" not in form.errors


def test_a_column_limit_gets_the_same_message(case_a):
    from sammen.cases.forms import PersonForm

    with translation.override("en"):
        form = PersonForm(data={"first_name": "x" * 81}, case=case_a)
        assert form.errors["first_name"] == ["The text is too long: 81 characters, at most 80."]


def test_the_counter_script_is_a_static_file_loaded_by_every_page(client):
    assert finders.find("sammen/text-limit.js")
    html = client.get(reverse("login")).content.decode()
    assert re.search(r'<script src="[^"]*sammen/text-limit\.js" defer></script>', html)
    assert "<script>" not in html  # no inline scripts (a Content Security Policy is coming)


# --- an overlong note through the pages ---------------------------------------------------


def _too_long_message(response, length, limit):
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return gettext(TOO_LONG) % {"length": grouped(length), "limit": grouped(limit)}


@pytest.fixture
def as_kari(client, people):
    client.force_login(people["kari"])
    return client


def _placement_data(place, notes):
    # Before case_a's ongoing placement (from 1 February 2025): no overlap.
    return {
        "kind": "emergency",
        "place": place.pk,
        "legal_basis": "",
        "start_date": "2024-11-01",
        "end_date": "2024-12-31",
        "notes": notes,
    }


def test_an_overlong_placement_note_comes_back_with_the_text_kept_and_nothing_saved(
    as_kari, case_a, place
):
    notes = ("Typed note. " * 16_667).strip()  # 200 003 characters
    before = saved_counts()
    response = as_kari.post(
        reverse("cases:placement_add", args=[case_a.pk]), _placement_data(place, notes)
    )
    assert_refused(response, "notes")
    assert _too_long_message(response, len(notes), TEXT_MAX_LENGTH) in response.content.decode()
    assert shown_values(response)["notes"] == [notes]
    assert saved_counts() == before
    assert not Placement.objects.filter(case=case_a, kind="emergency").exists()


def test_a_placement_note_at_the_limit_is_saved(as_kari, case_a, place):
    notes = "x" * TEXT_MAX_LENGTH
    response = as_kari.post(
        reverse("cases:placement_add", args=[case_a.pk]), _placement_data(place, notes)
    )
    assert response.status_code == 302
    assert Placement.objects.get(case=case_a, kind="emergency").notes == notes


@pytest.fixture
def active_followup(case_a, people):
    referral = f.make_referral(case_a, people["ola"], by=people["kari"])
    mother = case_a.persons.get(relation="mother")
    return FollowUp.objects.create(referral=referral, parent=mother, state="active")


def _contact_data(notes):
    return {
        "held_on": timezone.localdate().isoformat(),
        "with_whom": "parent",
        "place": "home",
        "method": "conversation",
        "minutes": "60",
        "notes": notes,
        "next_steps": "Typed next steps",
    }


def test_an_overlong_contact_note_comes_back_with_the_text_kept_and_nothing_saved(
    client, people, case_a, active_followup
):
    client.force_login(people["ola"])
    url = reverse("followup:step", args=[case_a.pk, active_followup.pk, "kontakt"])
    notes = "x" * 200_000
    response = client.post(url, _contact_data(notes))
    assert_refused(response, "notes")
    html = response.content.decode()
    assert _too_long_message(response, 200_000, TEXT_MAX_LENGTH) in html
    shown = shown_values(response)
    assert shown["notes"] == [notes]
    assert shown["next_steps"] == ["Typed next steps"]
    assert 'maxlength="10000"' in html
    assert not Contact.objects.exists()


def test_a_contact_note_at_the_limit_with_line_breaks_is_saved(
    client, people, case_a, active_followup
):
    client.force_login(people["ola"])
    url = reverse("followup:step", args=[case_a.pk, active_followup.pk, "kontakt"])
    notes = "Line\r\n" * (TEXT_MAX_LENGTH // 5)  # 10 000 characters as the browser counts them
    response = client.post(url, _contact_data(notes))
    assert response.status_code == 302, response.context["form"].errors
    assert Contact.objects.get(followup=active_followup).notes == notes.strip()
