"""A refusal always reaches the user as words on the form, whatever field it names."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from sammen.core.forms import MAX_VERSION, VersionForm, run_or_explain

DAMAGED = "Sidens opplysning om versjonen er skadet. Åpne siden på nytt."


@pytest.mark.parametrize("tampered", [str(10**20), str(MAX_VERSION + 1), "-1", "abc", "1e3"])
def test_a_tampered_version_is_refused_in_words(tampered):
    form = VersionForm({"expected_version": tampered})
    assert not form.is_valid()
    assert form.errors["expected_version"] == [DAMAGED]


def test_the_largest_version_passes():
    form = VersionForm({"expected_version": str(MAX_VERSION)})
    assert form.is_valid() and form.cleaned_data["expected_version"] == MAX_VERSION


class NoteForm(forms.Form):
    note = forms.CharField()


@pytest.mark.django_db
def test_a_refusal_about_a_field_the_form_lacks_is_shown_above_the_form():
    form = NoteForm({"note": "skrevet tekst"})
    assert form.is_valid()

    def refuse():
        raise ValidationError({"version": "for stort tall", "note": "for kort"})

    assert run_or_explain(form, refuse) is None
    assert form.non_field_errors() == ["for stort tall"]
    assert form.errors["note"] == ["for kort"]
    assert form.data["note"] == "skrevet tekst"
