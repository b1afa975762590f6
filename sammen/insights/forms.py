from datetime import date
from functools import cached_property

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.core.forms import DesignsystemetFormMixin, VersionedFormMixin
from sammen.org.models import Role, Section, User

from .models import CostRates


class FilterForm(DesignsystemetFormMixin, forms.Form):
    """Section, counsellor and period. A section leader sees only their own section."""

    section = forms.ModelChoiceField(label=_("Section"), queryset=None, required=False)
    counsellor = forms.ModelChoiceField(label=_("Family counsellor"), queryset=None, required=False)
    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To"), required=False)

    def __init__(self, *args, user, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()  # the page's date: kept pages are keyed on it
        sections = Section.objects.filter(unit_id=user.unit_id)
        if user.role == Role.SECTION_LEADER:
            sections = sections.filter(pk=user.section_id)
            self.fields["section"].empty_label = None
        else:
            self.fields["section"].empty_label = _("All sections")
        self.fields["section"].queryset = sections
        self.fields["counsellor"].queryset = User.objects.filter(
            unit_id=user.unit_id, role=Role.COUNSELLOR, is_active=True
        )
        self.fields["counsellor"].empty_label = _("All counsellors")
        self.user = user

    @cached_property
    def fields_with_options(self) -> list[tuple]:
        """(bound field, its options or None) for `_filters.html`, each choice list read once
        (a template loop over a ModelChoiceField's choices would count them in a second query)."""
        return [
            # iter(): list() of the choices themselves would ask their length, a COUNT query.
            (field, list(iter(field.field.choices)) if field.widget_type == "select" else None)
            for field in self.visible_fields()
        ]

    def clean(self):
        cleaned = super().clean()
        today = self.today
        cleaned["start"] = cleaned.get("start") or date(today.year, 1, 1)
        cleaned["end"] = cleaned.get("end") or today
        if "start" not in self.errors and "end" not in self.errors:
            if cleaned["end"] < cleaned["start"]:
                self.add_error("end", _("The end of the period must be after its start."))
        if self.user.role == Role.SECTION_LEADER:
            cleaned["section"] = cleaned.get("section") or self.fields["section"].queryset.first()
        return cleaned


class RatesForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = CostRates
        fields = [
            "private_hourly",
            "private_per_km",
            "own_hourly",
            "own_per_km",
            "budget_amount",
            "budget_months",
        ]
