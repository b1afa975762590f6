from datetime import time, timedelta
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.cases.models import Person
from sammen.core.forms import LONG_TEXT_MAX_LENGTH, DesignsystemetFormMixin, VersionedFormMixin
from sammen.org.models import Role, User

from . import date_rules
from .choices import OnHolidays, OtherContact, Purpose, Recurrence, SessionStatus, VisitPlace
from .models import VisitExpense, VisitFlat, VisitPlan, VisitReport, VisitSession

PLAN_FIELDS = [
    "visitor", "starts_on", "evaluate_on", "visits", "period_length", "period_unit", "hours",
    "place_kind", "flat", "place_note", "supervision", "counsellor", "participants", "purposes",
    "transport", "interpreter_needed", "interpreter_language", "language", "other_contact",
    "other_contact_note", "agreed_with_parents", "child_view", "foster_home_view", "parents_view",
]  # fmt: skip


def _counsellors(case):
    return User.objects.filter(unit_id=case.section.unit_id, role=Role.COUNSELLOR, is_active=True)


def _flats(case):
    return VisitFlat.objects.filter(unit_id=case.section.unit_id, is_active=True)


def _add_errors(form, errors: dict[str, str]) -> None:
    """The date rules' refusals on their fields (on the whole form where the field is absent)."""
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message)


class PlanForm(DesignsystemetFormMixin, forms.ModelForm):
    """A new version of a plan; `based_on` is the version it was opened from (optimistic lock)."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)
    purposes = forms.MultipleChoiceField(
        label=_("Purposes of the visits"), choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    other_contact = forms.MultipleChoiceField(
        label=_("Other agreed contact"), choices=OtherContact.choices,
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Where visits are hard: contact by phone, letters, cards, photos or e-mail."),
    )  # fmt: skip

    class Meta:
        model = VisitPlan
        fields = PLAN_FIELDS
        help_texts = {
            "agreed_with_parents": _("Required when the child is placed voluntarily."),
            "participants": _("For example: the mother, the child, the family counsellor."),
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor"].queryset = Person.objects.filter(case=case).exclude(relation="child")
        self.fields["flat"].queryset = _flats(case)
        self.fields["counsellor"].queryset = _counsellors(case)
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("starts_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        _add_errors(
            self, date_rules.plan_dates(cleaned.get("starts_on"), cleaned.get("evaluate_on"))
        )
        if cleaned.get("place_kind") == VisitPlace.FLAT and not cleaned.get("flat"):
            self.add_error("flat", _("Choose the visit flat."))
        if cleaned.get("interpreter_needed") and not cleaned.get("interpreter_language"):
            self.add_error("interpreter_language", _("Give the interpreter's language."))
        return cleaned


class SessionForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    """Add one visit, or move a planned one."""

    class Meta:
        model = VisitSession
        fields = ["starts_at", "ends_at", "counsellor", "flat", "place_kind"]

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = _counsellors(case)
        self.fields["flat"].queryset = _flats(case)

    def clean(self):
        cleaned = super().clean()
        _add_errors(
            self, date_rules.session_times(cleaned.get("starts_at"), cleaned.get("ends_at"))
        )
        if cleaned.get("place_kind") == VisitPlace.FLAT and not cleaned.get("flat"):
            self.add_error("flat", _("Choose the visit flat."))
        return cleaned


class GenerateForm(DesignsystemetFormMixin, forms.Form):
    """Plan a series of visits from the plan."""

    first_day = forms.DateField(label=_("First visit"))
    start_time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=15, max_value=24 * 60)
    recurrence = forms.ChoiceField(label=_("Repeat"), choices=Recurrence.choices)
    interval = forms.IntegerField(label=_("Every"), min_value=1, max_value=52)
    until = forms.DateField(label=_("Until"))
    counsellor = forms.ModelChoiceField(label=_("Family counsellor"), queryset=None, required=False)
    place_kind = forms.ChoiceField(label=_("Place"), choices=VisitPlace.choices)
    flat = forms.ModelChoiceField(label=_("Visit flat"), queryset=None, required=False)
    on_holidays = forms.ChoiceField(
        label=_("Visits on public holidays"),
        choices=OnHolidays.choices,
        initial=OnHolidays.SKIP,
        widget=forms.RadioSelect,
    )

    MAX_DAYS = 400

    def __init__(self, *args, case, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = _counsellors(case)
        self.fields["flat"].queryset = _flats(case)
        if not self.is_bound:
            monthly = plan.period_unit != "week"
            self.initial.update(
                {
                    "first_day": max(plan.starts_on, timezone.localdate()),
                    "start_time": time(17),
                    "minutes": int(Decimal(plan.hours) * 60),
                    "recurrence": Recurrence.MONTHLY if monthly else Recurrence.WEEKLY,
                    "interval": plan.period_length * (12 if plan.period_unit == "year" else 1)
                    if plan.visits == 1
                    else 1,
                    "until": plan.evaluate_on,
                    "counsellor": plan.counsellor_id,
                    "place_kind": plan.place_kind,
                    "flat": plan.flat_id,
                }
            )

    def clean(self):
        cleaned = super().clean()
        first, until = cleaned.get("first_day"), cleaned.get("until")
        if first and until:
            if until < first:
                self.add_error("until", _("The series must end after the first visit."))
            elif until - first > timedelta(days=self.MAX_DAYS):
                self.add_error("until", _("Plan at most about a year ahead."))
        if cleaned.get("place_kind") == VisitPlace.FLAT and not cleaned.get("flat"):
            self.add_error("flat", _("Choose the visit flat."))
        return cleaned


class RecordForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    """Before, during and after a held visit."""

    class Meta:
        model = VisitSession
        fields = [
            "prep_parent", "prep_foster_home", "language_spoken", "mother_tongue_used",
            "child_reactions", "parent_contact", "stopped", "stop_reason", "after_parent",
            "after_child", "foster_home_invited",
        ]  # fmt: skip
        widgets = {
            "mother_tongue_used": forms.NullBooleanSelect,
            "foster_home_invited": forms.NullBooleanSelect,
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stopped") and not cleaned.get("stop_reason", "").strip():
            self.add_error("stop_reason", _("Say what stopped the visit."))
        if not cleaned.get("language_spoken", "").strip():
            self.add_error("language_spoken", _("Record the language spoken at the visit."))
        return cleaned


class CancelForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    status = forms.ChoiceField(
        label=_("What happened"),
        widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in (SessionStatus.CANCELLED, SessionStatus.NO_SHOW)],
    )

    class Meta:
        model = VisitSession
        fields = ["status", "cancelled_by", "cancel_reason", "cancelled_at"]
        help_texts = {"cancelled_at": _("When the service was told. Empty: now.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cancelled_by"].required = True
        self.fields["cancel_reason"].required = True
        if not self.is_bound and self.initial.get("status") not in dict(
            self.fields["status"].choices
        ):
            self.initial["status"] = SessionStatus.CANCELLED

    def clean_cancelled_at(self):
        value = self.cleaned_data.get("cancelled_at")
        if value and value > timezone.now():
            raise forms.ValidationError(_("The cancellation cannot be dated in the future."))
        return value


class ReportForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    text_max_lengths = {"summary": LONG_TEXT_MAX_LENGTH}  # the report's main text

    class Meta:
        model = VisitReport
        fields = ["session", "period_start", "period_end", "summary", "assessment"]
        help_texts = {"session": _("For a report on one visit; leave empty for a period.")}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        # Reports are written on visits held (and the visit a draft is already about).
        held = Q(status=SessionStatus.HELD, starts_at__lte=timezone.now())
        if self.instance.session_id:
            held |= Q(pk=self.instance.session_id)
        self.fields["session"].queryset = VisitSession.objects.filter(
            held, plan__case_id=plan.case_id, plan__visitor_id=plan.visitor_id
        )
        self.fields["session"].label_from_instance = lambda s: timezone.localtime(
            s.starts_at
        ).strftime("%d.%m.%Y %H:%M")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        errors = date_rules.report_dates(start, end, today=timezone.localdate())
        if "period_end" not in errors:
            errors.update(
                date_rules.report_session(cleaned.get("session"), start, end, now=timezone.now())
            )
        _add_errors(self, errors)
        return cleaned


class ExpenseForm(DesignsystemetFormMixin, forms.ModelForm):
    class Meta:
        model = VisitExpense
        fields = ["kind", "amount", "spent_on", "note"]

    def clean(self):
        cleaned = super().clean()
        _add_errors(
            self, date_rules.expense_date(cleaned.get("spent_on"), today=timezone.localdate())
        )
        return cleaned


class FlatForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = VisitFlat
        fields = ["name", "address", "is_active"]
