from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.access.models import AccessGrant
from sammen.core.forms import DesignsystemetFormMixin, VersionedFormMixin
from sammen.org.models import Role, Section, User

from . import date_rules
from .models import (
    ActionPlan,
    CarePlan,
    ChildCase,
    LegalReference,
    Person,
    PetitionStatus,
    Placement,
    PlacementKind,
    PlacementPlace,
    Relation,
    TribunalDecision,
    VisitationRuling,
)
from .models.decisions import DecisionKind
from .rules import is_within_age_limit

MAX_GRANT_DAYS = 90


def _staff(unit, role):
    return User.objects.filter(unit=unit, role=role, is_active=True)


class CaseForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ChildCase
        fields = [
            "section",
            "caseworker",
            "opened_on",
            "closed_on",
            "petition_status",
            "petition_date",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit = user.unit
        self.fields["section"].queryset = unit.sections.all() if unit else Section.objects.none()
        self.fields["caseworker"].queryset = _staff(unit, Role.CASEWORKER)
        if not self.instance.pk:
            del self.fields["closed_on"]
            self.initial.setdefault("opened_on", timezone.localdate())
            if user.section_id:
                self.initial.setdefault("section", user.section_id)
            if user.role == Role.CASEWORKER:
                self.initial.setdefault("caseworker", user.pk)

    def clean(self):
        cleaned = super().clean()
        status, petition_date = cleaned.get("petition_status"), cleaned.get("petition_date")
        if status == "sent" and not petition_date:
            self.add_error("petition_date", _("Give the date the petition was sent."))
        caseworker, section = cleaned.get("caseworker"), cleaned.get("section")
        if caseworker and section and caseworker.section_id not in (None, section.pk):
            self.add_error("caseworker", _("The caseworker works in another section."))
        # The order of the dates: `date_rules`, checked by the model.
        return cleaned


class PersonForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "relation",
            "relation_detail",
            "first_name",
            "last_name",
            "date_of_birth",
            "has_parental_responsibility",
            "language",
            "other_languages",
            "needs_interpreter",
            "interpreter_language",
            "phone",
        ]

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if "relation" not in self.fields:
            return
        if self.instance.pk and self.instance.is_child:
            self.fields["relation"].choices = [(Relation.CHILD, Relation.CHILD.label)]
        else:
            self.fields["relation"].choices = [
                c for c in Relation.choices if c[0] != Relation.CHILD
            ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("needs_interpreter") and not cleaned.get("interpreter_language"):
            self.add_error(
                "interpreter_language", _("Say which language the interpreter must speak.")
            )
        # The date of birth's bounds: `date_rules`, checked by the model.
        return cleaned


class ChildForm(PersonForm):
    """The child's own details when a case is opened."""

    prefix = "child"

    class Meta(PersonForm.Meta):
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "language",
            "needs_interpreter",
            "interpreter_language",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].required = True
        self.fields.pop("expected_version")

    def clean(self):
        cleaned = super().clean()
        birth = cleaned.get("date_of_birth")
        if birth and not is_within_age_limit(birth, timezone.localdate()):
            self.add_error(
                "date_of_birth", _("Child welfare follows children only until they turn 23.")
            )
        return cleaned

    def born_by(self, opened_on) -> bool:
        """The child's date of birth is not after the day the case is opened (the case form's
        date, which this form does not have); else the refusal is shown under the birth date."""
        birth = self.cleaned_data.get("date_of_birth")
        message = date_rules.child_born_after_opened(birth, opened_on)
        if message and "date_of_birth" not in self.errors:
            self.add_error("date_of_birth", message)
        return not message


class PlacementForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["kind", "place", "legal_basis", "start_date", "end_date", "notes"]

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["place"].queryset = PlacementPlace.objects.filter(
            unit=case.section.unit, is_active=True
        ) | PlacementPlace.objects.filter(pk=self.instance.place_id or 0)
        self.fields["legal_basis"].queryset = LegalReference.objects.filter(
            key__startswith="placement."
        )
        self.fields["legal_basis"].help_text = _(
            "Leave empty to use the usual provision for the kind of placement."
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            return cleaned  # refused by the model (`date_rules`) under the end date
        if start:
            others = self.case.placements.exclude(pk=self.instance.pk)
            for other in others:
                other_end = other.end_date
                if (end is None or other.start_date <= end) and (
                    other_end is None or start <= other_end
                ):
                    self.add_error(
                        "start_date",
                        _("The child already has a placement in this period (%(placement)s).")
                        % {"placement": other},
                    )
                    break
        kind = cleaned.get("kind")
        if kind and not cleaned.get("legal_basis"):
            cleaned["legal_basis"] = LegalReference.objects.filter(key=f"placement.{kind}").first()
        return cleaned


def _reason_field(*, required: str, examples: str) -> forms.CharField:
    """Why a legal record is changed: required for a change, kept with the new version."""
    return forms.CharField(
        label=_("Why changed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        error_messages={"required": required},
        help_text=examples,
    )


class DecisionForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = TribunalDecision
        fields = ["decided_on", "kind", "legal_basis", "summary", "appealed"]

    reason = _reason_field(
        required=_("Say why the decision is changed."),
        examples=_(
            "The change is kept as a new version beside the earlier ones, e.g. "
            '"appealed to the district court 12.03.2026" or "registration error".'
        ),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if not self.instance.pk:
            del self.fields["reason"]  # the first version needs no reason


class RulingForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = VisitationRuling
        fields = [
            "visitor",
            "visits",
            "period_length",
            "period_unit",
            "min_hours",
            "supervision",
            "conditions",
            "details_delegated",
        ]

    reason = _reason_field(
        required=_("Say why the ruling is changed."),
        examples=_(
            "The change is kept as a new version beside the earlier ones, e.g. "
            '"new decision from the tribunal 12.03.2026" or "registration error".'
        ),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["visitor"].queryset = case.persons.exclude(relation=Relation.CHILD)
        if self.instance.pk:
            # A ruling on another person is another ruling: register it beside this one.
            self.fields["visitor"].disabled = True
        else:
            del self.fields["reason"]  # the first version needs no reason


class CarePlanForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = CarePlan
        fields = [
            "kind",
            "decision",
            "made_on",
            "child_needs",
            "parent_followup",
            "parents_views",
            "next_review_on",
        ]

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["decision"].queryset = case.decisions.filter(kind=DecisionKind.CARE_ORDER)


class ActionPlanForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["starts_on", "ends_on", "goals", "measures", "evaluated_on"]

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case


class TeamForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ChildCase
        fields = ["caseworker", "counsellors"]
        widgets = {"counsellors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.instance.section.unit
        self.fields["caseworker"].queryset = _staff(unit, Role.CASEWORKER)
        self.fields["counsellors"].queryset = _staff(unit, Role.COUNSELLOR)


class GrantForm(DesignsystemetFormMixin, forms.ModelForm):
    class Meta:
        model = AccessGrant
        fields = ["user", "reason", "can_edit", "valid_until"]

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["user"].queryset = User.objects.filter(
            is_active=True, unit__isnull=False
        ).exclude(role=Role.ADMINISTRATOR)
        self.fields["valid_until"].help_text = _("At most %(days)s days ahead.") % {
            "days": MAX_GRANT_DAYS
        }

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError(_("Explain why access is needed (at least 10 characters)."))
        return reason

    def clean_valid_until(self):
        until = self.cleaned_data["valid_until"]
        now = timezone.now()
        message = date_rules.grant_end_not_ahead(until, now) or date_rules.grant_too_long(
            until, now, MAX_GRANT_DAYS
        )
        if message:
            raise forms.ValidationError(message)
        return until


class PlaceForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = PlacementPlace
        fields = ["name", "kind", "municipality", "phone", "is_active"]

    def clean_name(self):
        # The form has no `unit` field, so Django skips the (unit, name) unique constraint.
        name = self.cleaned_data["name"]
        taken = PlacementPlace.objects.filter(unit_id=self.instance.unit_id, name=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The unit already has a place with this name."))
        return name


class CaseFilterForm(DesignsystemetFormMixin, forms.Form):
    hide_optional = True  # every filter is optional; saying so on each adds only noise
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name or case reference"))
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=None, required=False, empty_label=_("All")
    )
    placement = forms.ChoiceField(label=_("Current placement"), required=False)
    petition = forms.ChoiceField(label=_("Tribunal"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Open")), ("closed", _("Closed")), ("", _("All"))],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit = user.unit
        self.fields["section"].queryset = unit.sections.all() if unit else Section.objects.none()
        self.fields["placement"].choices = [("", _("All")), *PlacementKind.choices]
        self.fields["petition"].choices = [("", _("All")), *PetitionStatus.choices]


class AuditFilterForm(DesignsystemetFormMixin, forms.Form):
    """Narrow a case's access log to one person and a stretch of days."""

    who = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False)
    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].queryset = people
        self.fields["who"].empty_label = _("Everyone")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date must be on or after the start date."))
        return cleaned
