"""Form plumbing: Designsystemet markup, accessible errors, and the version a form was opened with."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    """Carries the record's version from the moment the form was opened (optimistic locking)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["expected_version"] = instance.version

    def note_current_version(self, version: int) -> None:
        """After a refused save, let a deliberate second submit go through."""
        data = self.data.copy()
        data[self.add_prefix("expected_version")] = version
        self.data = data


class SignInForm(DesignsystemetFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Check both and try again."),
        "inactive": _("This account is not active."),
    }
