"""Form plumbing: Designsystemet markup, accessible errors, and the version a form was opened with."""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils import formats, timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from . import dates
from .models import ConcurrentEditError


class DesignsystemetRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


# The longest text every form takes (issue 11: a note once took 200 000 characters). A text field
# whose model column sets a length keeps that; every other text field gets one of these from
# `DesignsystemetFormMixin`. A form names a field that needs another limit in `text_max_lengths`.
SHORT_TEXT_MAX_LENGTH = 200
"""A one-line text input without a limit of its own (the case search, a password)."""
TEXT_MAX_LENGTH = 10_000
"""A free-text area: notes, comments, goals, measures, assessments, views (about four pages)."""
LONG_TEXT_MAX_LENGTH = 20_000
"""The main text of a report, which sums up a whole period (follow-up and visit reports)."""


def grouped(number: int) -> str:
    """A whole number with its thousands grouped the active language's way: "10 000" in
    Norwegian (with a narrow no-break space, so the number never breaks across lines),
    "10,000" in English."""
    return formats.number_format(number, force_grouping=True).replace("\xa0", "\u202f")


def text_length(value: str) -> int:
    """The length of a text as the browser counts it for `maxlength`: a line break is one
    character, although the browser sends it as CR LF."""
    return len(value.replace("\r\n", "\n"))


@deconstructible
class TextLengthValidator(MaxLengthValidator):
    """Refuses a text over the limit, saying how long it is and how long it may be."""

    message = _("The text is too long: %(length)s characters, at most %(limit)s.")

    def clean(self, x):
        return text_length(x)

    def __call__(self, value):
        length = self.clean(value)
        if length > self.limit_value:
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "length": grouped(length),
                    "limit": grouped(self.limit_value),
                    "limit_value": self.limit_value,
                    "show_value": length,
                    "value": value,
                },
            )


def limit_text_field(field: forms.CharField, max_length: int | None = None) -> None:
    """Give a text field its maximum length: `max_length` if given (never more than a model
    column allows), else the field's own, else the default for its widget. The browser gets
    `maxlength`, and the server refuses a longer text with `TextLengthValidator`."""
    default = TEXT_MAX_LENGTH if isinstance(field.widget, forms.Textarea) else SHORT_TEXT_MAX_LENGTH
    limit = max_length or field.max_length or default
    if field.max_length is not None:
        limit = min(limit, field.max_length)
    field.max_length = limit
    field.validators = [
        *(v for v in field.validators if not isinstance(v, MaxLengthValidator)),
        TextLengthValidator(limit),
    ]
    if not field.widget.is_hidden:
        field.widget.attrs["maxlength"] = str(limit)


class DesignsystemetBoundField(BoundField):
    """A field as the Designsystemet templates show it: its description includes the
    longest text it takes."""

    @property
    def max_length_text(self) -> str:
        """The limit as the description states it ("At most N characters."), for a visible
        text field; empty for a password (its limit stated on the sign-in page is only noise)."""
        field = self.field
        if (
            not isinstance(field, forms.CharField)
            or field.max_length is None
            or self.is_hidden
            or isinstance(field.widget, forms.PasswordInput)
        ):
            return ""
        return _("At most %(limit)s characters.") % {"limit": grouped(field.max_length)}

    @property
    def has_description(self) -> bool:
        return bool(self.help_text or self.max_length_text)

    @property
    def aria_describedby(self):
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.has_description:
                ids.append(f"{self.auto_id}_helptext")
            if self.errors:
                ids.append(f"{self.auto_id}_error")
        return " ".join(ids)


class DesignsystemetFormMixin:
    """Gives every widget the `ds-input` class, every text field a maximum length (see
    `TEXT_MAX_LENGTH`), and links descriptions and error messages to their field."""

    default_renderer = DesignsystemetRenderer
    bound_field_class = DesignsystemetBoundField
    text_max_lengths: dict[str, int] = {}
    """Field name → maximum length, for a text field that needs a limit other than the default."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                limit_text_field(field, self.text_max_lengths.get(name))
            widget = field.widget
            if isinstance(field, forms.DateTimeField) and not isinstance(widget, DateTimeInput):
                field.widget = widget = DateTimeInput(attrs=widget.attrs)
            elif isinstance(field, forms.DateField) and not isinstance(widget, DateInput):
                field.widget = widget = DateInput(attrs=widget.attrs)
            if isinstance(field, forms.DateField | forms.DateTimeField):
                bound_dates(field)
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                widget.attrs.setdefault("class", "ds-input")
                continue
            widget.attrs["class"] = (widget.attrs.get("class", "") + " ds-input").strip()
            if isinstance(widget, forms.Textarea):
                widget.attrs["rows"] = 3

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                describedby = [f"{bound.auto_id}_error"]
                if getattr(bound, "has_description", bound.help_text):
                    describedby.append(f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(describedby)


def bound_dates(field) -> None:
    """Keep a date or date-time field inside the range Sammen accepts (core.dates)."""
    first, last = dates.EARLIEST, dates.latest()
    if isinstance(field, forms.DateTimeField):
        field.widget.attrs.setdefault("min", f"{first.isoformat()}T00:00")
        field.widget.attrs.setdefault("max", f"{last.isoformat()}T23:59")
    else:
        field.widget.attrs.setdefault("min", first.isoformat())
        field.widget.attrs.setdefault("max", last.isoformat())
    field.validators.append(DateRangeValidator(first, last))


class DateRangeValidator:
    """Refuses a date (or the date of a date-time) outside the range, naming the range."""

    def __init__(self, first, last):
        self.first, self.last = first, last

    def __call__(self, value):
        try:
            day = timezone.localdate(value) if isinstance(value, datetime) else value
        except (OverflowError, ValueError):  # a time at the calendar's very end
            day = value.date()
        if not self.first <= day <= self.last:
            raise ValidationError(
                _("The date must be between %(first)s and %(last)s.")
                % {"first": f"{self.first:%d.%m.%Y}", "last": f"{self.last:%d.%m.%Y}"},
                code="date_out_of_range",
            )

    def __eq__(self, other):
        return isinstance(other, DateRangeValidator) and (self.first, self.last) == (
            other.first,
            other.last,
        )


class NotInFutureMixin:
    """Things that happened cannot be dated in the future."""

    past_date_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in self.past_date_fields:
            value = cleaned.get(name)
            if value and value > today:
                self.add_error(name, _("The date cannot be in the future."))
        return cleaned


# The largest version a record can reach (a positive integer column on every database).
MAX_VERSION = 2_147_483_647


class VersionedFormMixin(forms.Form):
    """Carries the version of the record the form acts on, from the moment it was opened
    (optimistic locking).

    A model form takes it from its instance and hands it back to the instance when cleaned, so
    the instance's `save()` claims the version the user saw, not the one read at submit time.
    A plain form that changes a record (a decision, an approval) is given `version=`; its
    view passes `expected_version` on to the service.
    """

    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=MAX_VERSION,
        error_messages={
            key: _("The page's record of the version is damaged. Open the page again.")
            for key in ("invalid", "min_value", "max_value")
        },
    )

    def __init__(self, *args, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk:
            version = getattr(instance, "version", None)
        if version is not None and not self.is_bound:
            self.initial["expected_version"] = version

    def clean(self):
        cleaned = super().clean()
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and hasattr(instance, "carry_version"):
            instance.carry_version(cleaned.get("expected_version"))
        return cleaned

    def note_current_version(self, version: int) -> None:
        """After a refused save, let a deliberate second submit go through."""
        data = self.data.copy()
        data[self.add_prefix("expected_version")] = version
        self.data = data


class VersionForm(VersionedFormMixin):
    """Only the version: for a button that changes a record's state (approve)."""


class SignInForm(DesignsystemetFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Check both and try again."),
        "inactive": _("This account is not active."),
    }


def run_or_explain(form, action, *, record=None):
    """Run a service in a savepoint; a refusal is shown on `form` with the typed values kept and
    nothing half-saved. Returns the service's result, or None when it was refused.

    When someone else changed the record (`record`, else the form's instance) in the meantime,
    the form takes the record's current version: the user sees the message, and a deliberate
    second submit goes through against what is there now.
    """
    try:
        with transaction.atomic():
            return action()
    except ConcurrentEditError as error:
        form.add_error(None, error)
        record = record if record is not None else getattr(form, "instance", None)
        if record is not None and record.pk and isinstance(form, VersionedFormMixin):
            current = (
                type(record)._default_manager.filter(pk=record.pk).values_list("version", flat=True)
            )
            if current:
                form.note_current_version(current[0])
    except ValidationError as error:
        _show_refusal(form, error)
    return None


def _show_refusal(form, error: ValidationError) -> None:
    """Each message under the field it concerns; one about a field the form does not show
    (a model field, the record's version) above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def run_button(request, action, success: str) -> bool:
    """A button that changes a record (approve, delete): `action(expected_version)` runs with the
    version the page showed, in a savepoint; a refusal (someone changed the record meanwhile, a
    rule, a missing version) becomes an error message, otherwise `success` is shown."""
    form = VersionForm(request.POST)
    try:
        with transaction.atomic():
            if not form.is_valid():
                raise ValidationError([m for errors in form.errors.values() for m in errors])
            action(form.cleaned_data["expected_version"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True
