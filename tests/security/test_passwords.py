"""Password rules for local accounts: 12 characters at least, not common, not only digits, not like
the person; the messages in bokmål and nynorsk come from Django's own catalogues, the one for
"too short" from Sammen's (sammen.core.passwords: Django 5.2's catalogues lack its new wording)."""

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from sammen.org.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari(unit):
    return f.make_user("kari", Role.CASEWORKER, unit=unit, first_name="Kari", last_name="Nordmann")


def refusals(password, user, language="nb"):
    with translation.override(language):
        try:
            validate_password(password, user)
        except ValidationError as error:
            return error.messages
    return []


def test_a_long_uncommon_password_is_accepted(kari):
    assert refusals("Blåbær-Hytte-Ved-Fjorden", kari) == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Kort-ord-9", "Passordet er for kort. Det må bestå av minst 12 tegn."),
        ("password1234", "Dette passordet er for vanlig."),
        ("482915736201", "Dette passordet inneholder bare tall."),
        ("kari.nordmann", "Passordet er for likt"),
    ],
)
def test_each_rule_refuses_in_bokmal(kari, password, message):
    assert any(message in text for text in refusals(password, kari))


def test_the_rules_speak_nynorsk_too(kari):
    messages = refusals("12345", kari, language="nn")
    assert "Dette passordet er for stutt. Det må innehalde minst 12 teikn." in messages
    assert "Dette passordet innehalder berre tal." in messages


def test_eleven_characters_are_too_few_and_twelve_enough(kari):
    assert refusals("Mjølkespann", kari) != []  # 11
    assert refusals("Mjølkespann!", kari) == []  # 12


def test_the_admins_password_form_applies_the_rules(kari):
    with translation.override("nb"):
        form = AdminPasswordChangeForm(kari, {"password1": "kort", "password2": "kort"})
        assert not form.is_valid()
        assert "Passordet er for kort" in str(form.errors)
