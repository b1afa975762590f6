"""Form plumbing: Designsystemet markup, accessible errors, and the version a form was opened with."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class DesignsystemetFormMixin:
    """Gives every widget the `ds-input` class and links error messages to their field."""

    default_renderer = DesignsystemetRenderer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(field, forms.DateTimeField) and not isinstance(widget, DateTimeInput):
                field.widget = widget = DateTimeInput(attrs=widget.attrs)
            elif isinstance(field, forms.DateField) and not isinstance(widget, DateInput):
                field.widget = widget = DateInput(attrs=widget.attrs)
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
                if self.fields[name].help_text:
                    describedby.append(f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(describedby)


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


class VersionedFormMixin(forms.Form):
    """Carries the version of the record the form acts on, from the moment it was opened
    (optimistic locking).

    A model form takes it from its instance and hands it back to the instance when cleaned, so
    the instance's `save()` claims the version the user saw, not the one read at submit time.
    A plain form that changes a record (a decision, an approval) is given `version=`; its
    view passes `expected_version` on to the service.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

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
        form.add_error(None, error)
    return None
