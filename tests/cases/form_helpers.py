"""Helpers for tests that post forms: what a re-rendered form shows, and what was saved."""

from html.parser import HTMLParser

from django import forms
from django.forms.models import model_to_dict

from sammen.access.models import AccessGrant
from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases.models import (
    ActionPlan,
    CarePlan,
    ChildCase,
    Person,
    Placement,
    PlacementPlace,
    TribunalDecision,
    VisitationRuling,
)

SAVED_MODELS = (
    ChildCase,
    Person,
    Placement,
    PlacementPlace,
    TribunalDecision,
    VisitationRuling,
    CarePlan,
    ActionPlan,
    AccessGrant,
)
WRITE_ACTIONS = (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.GRANT)


class _FormValues(HTMLParser):
    """Collects what the browser would submit again: field name → list of shown values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None
        self._text = []

    def _add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value") or "on")
            else:
                self._add(name, attrs.get("value") or "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._add(self._textarea, "".join(self._text).strip("\r\n"))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def shown_values(response) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(response.content.decode())
    return parser.values


def assert_typed_values_kept(response, data: dict, *, ignore=("csrfmiddlewaretoken",)):
    """Every non-empty value that was posted is shown again in the re-rendered page."""
    shown = shown_values(response)
    for name, posted in data.items():
        if name in ignore:
            continue
        for value in posted if isinstance(posted, list | tuple) else [posted]:
            if value in ("", None):
                continue
            assert str(value) in shown.get(name, []), (
                f"{name}={value!r} was not kept; the page shows {shown.get(name)!r}"
            )


def refused_choices(form) -> set[str]:
    """Choice fields whose posted value was refused: a choice not offered cannot be shown again."""
    refused = {
        form.add_prefix(name)
        for name in form.errors
        if name in form.fields and isinstance(form.fields[name], forms.ChoiceField)
    }
    return refused | {"csrfmiddlewaretoken"}


def assert_refused(response, *fields, form_key="form"):
    """The page came back (no crash, no redirect) with errors on exactly the named fields."""
    assert response.status_code == 200, response.status_code
    form = response.context[form_key]
    for field in fields:
        assert field in form.errors, f"no error on {field!r}; errors: {dict(form.errors)!r}"
    assert "ds-error-summary" in response.content.decode()


def saved_counts() -> dict:
    """How many rows each case model holds, and how many writes the audit log has seen."""
    counts = {model.__name__: model.objects.count() for model in SAVED_MODELS}
    counts["counsellor links"] = ChildCase.counsellors.through.objects.count()
    counts["audited writes"] = AuditEvent.objects.filter(action__in=WRITE_ACTIONS).count()
    return counts


def row_state(instance) -> dict:
    """The stored values of a row, including its version, for before/after comparisons."""
    fresh = type(instance).objects.get(pk=instance.pk)
    state = model_to_dict(fresh)
    state["version"] = getattr(fresh, "version", None)
    return state


def with_opened_version(client, url, data: dict) -> dict:
    """`data` with the `expected_version` the form at `url` carries when opened, as a browser
    would submit it (unless `data` names one)."""
    if "expected_version" in data:
        return data
    shown = shown_values(client.get(url)).get("expected_version")
    return {**data, "expected_version": shown[0]} if shown else data
