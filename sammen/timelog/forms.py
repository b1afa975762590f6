from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.access.policy import visible_cases
from sammen.cases.models import ChildCase
from sammen.core.forms import DesignsystemetFormMixin, NotInFutureMixin, VersionedFormMixin

from .models import TimeEntry


class TimeEntryForm(DesignsystemetFormMixin, NotInFutureMixin, VersionedFormMixin, forms.ModelForm):
    past_date_fields = ("worked_on",)

    contact = forms.IntegerField(widget=forms.HiddenInput, required=False)
    session = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TimeEntry
        fields = ["case", "worked_on", "activity", "hours", "km", "note"]
        help_texts = {"hours": _("For example 1.5 for an hour and a half.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cases = visible_cases(user, ChildCase.objects.filter(closed_on__isnull=True))
        self.fields["case"].queryset = cases.order_by("reference")
        self.fields["case"].label_from_instance = lambda c: c.reference
        self.fields["km"].required = False
        self.initial.setdefault("worked_on", timezone.localdate())

    def clean_km(self):
        return self.cleaned_data.get("km") or 0

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("hours") is not None and not cleaned.get("hours") and not cleaned.get("km"):
            self.add_error("hours", _("Log hours, kilometres or both."))
        return cleaned
