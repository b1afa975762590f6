from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sammen.cases.models.persons import PARENT_RELATIONS
from sammen.core.forms import (
    LONG_TEXT_MAX_LENGTH,
    DesignsystemetFormMixin,
    VersionedFormMixin,
)
from sammen.org.models import Role, User

from .choices import (
    ClosureReason,
    ConsentKind,
    FirstConversationPoint,
    InformationTopic,
    MeetingKind,
)
from .models import (
    ConsentEvent,
    Contact,
    FollowUpReport,
    Information,
    LivingConditions,
    PhaseChange,
    Referral,
    ServiceReferral,
    StartMeeting,
)


class ReferralForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    parents = forms.ModelMultipleChoiceField(
        label=_("Parents to refer"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each parent gets a follow-up of their own."),
    )

    class Meta:
        model = Referral
        fields = ["referred_on", "order", "goals", "counsellor_should_know"]

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parents"].queryset = case.persons.filter(relation__in=PARENT_RELATIONS)
        if self.instance.pk:
            del self.fields["parents"]
        else:
            self.initial.setdefault("referred_on", timezone.localdate())


class DecisionForm(DesignsystemetFormMixin, VersionedFormMixin):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Approve")), ("return", _("Return to the caseworker"))],
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say why the referral is returned."))
        return cleaned


class AssignForm(DesignsystemetFormMixin, VersionedFormMixin):
    counsellor = forms.ModelChoiceField(
        label=_("Family counsellor"), queryset=None, widget=forms.RadioSelect
    )

    def __init__(self, *args, unit_id, load, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["counsellor"]
        field.queryset = User.objects.filter(unit_id=unit_id, role=Role.COUNSELLOR, is_active=True)
        families = {c.pk: c.families for c in load}
        field.label_from_instance = lambda u: (
            ngettext(
                "%(name)s – %(n)s active family",
                "%(name)s – %(n)s active families",
                families.get(u.pk, 0),
            )
            % {"name": u, "n": families.get(u.pk, 0)}
        )


class InformationForm(DesignsystemetFormMixin, forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("Information topics covered"),
        choices=InformationTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    points = forms.MultipleChoiceField(
        label=_("First-conversation points covered"),
        choices=FirstConversationPoint.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Information
        fields = [
            "informed_on",
            "channel",
            "language",
            "interpreter_used",
            "topics",
            "points",
            "note",
        ]


class ConsentForm(DesignsystemetFormMixin, forms.ModelForm):
    class Meta:
        model = ConsentEvent
        fields = ["kind", "on", "reoffer_on", "note"]

    def clean(self):
        cleaned = super().clean()
        kind, on, reoffer = cleaned.get("kind"), cleaned.get("on"), cleaned.get("reoffer_on")
        if kind == ConsentKind.DECLINED and not reoffer:
            self.add_error("reoffer_on", _("Give a date to offer follow-up again."))
        elif kind == ConsentKind.DECLINED and on and reoffer <= on:
            self.add_error("reoffer_on", _("The new offer must come after the date of the answer."))
        return cleaned


class MeetingForm(DesignsystemetFormMixin, forms.ModelForm):
    report_period_months = forms.IntegerField(
        label=_("Report period (months)"), min_value=1, max_value=12, required=False
    )
    contacts_per_month = forms.IntegerField(
        label=_("Expected contacts per month"), min_value=1, max_value=31, required=False
    )
    frame_review_on = forms.DateField(label=_("Review of the frame on"), required=False)

    class Meta:
        model = StartMeeting
        fields = [
            "kind",
            "held_on",
            "participants",
            "agreed_order",
            "counsellor_tasks",
            "caseworker_tasks",
            "foster_home_contact",
            "information_flow",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == MeetingKind.JOINT:
            for name in ("report_period_months", "contacts_per_month", "frame_review_on"):
                if not cleaned.get(name):
                    self.add_error(name, _("Agree this at the joint start meeting."))
        return cleaned

    @property
    def frame(self) -> dict:
        return {
            k: self.cleaned_data.get(k)
            for k in ("report_period_months", "contacts_per_month", "frame_review_on")
        }


class ContactForm(DesignsystemetFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["held_on", "with_whom", "place", "method", "minutes", "notes", "next_steps"]
        help_texts = {"held_on": _("A future date plans the session.")}


class ContactCorrectionForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    """A recorded contact corrected, with the reason for the correction."""

    reason = forms.CharField(
        label=_("Why the correction"),
        widget=forms.Textarea,
        help_text=_("Kept with the earlier version of the contact, e.g. «wrong date registered»."),
    )

    class Meta:
        model = Contact
        fields = ["held_on", "with_whom", "place", "method", "minutes", "notes", "next_steps"]


class PhaseForm(DesignsystemetFormMixin, forms.ModelForm):
    class Meta:
        model = PhaseChange
        fields = ["phase", "from_date", "note"]


class LivingConditionsForm(DesignsystemetFormMixin, forms.ModelForm):
    class Meta:
        model = LivingConditions
        fields = [
            "assessed_on",
            "economy",
            "education_work",
            "housing",
            "health",
            "social",
            "help_wanted",
        ]


class ServiceReferralForm(DesignsystemetFormMixin, forms.ModelForm):
    class Meta:
        model = ServiceReferral
        fields = [
            "service",
            "referred_on",
            "purpose",
            "consent_to_share",
            "consent_on",
            "information_shared",
            "counsellor_attends",
            "outcome",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("information_shared") and not (
            cleaned.get("consent_to_share") and cleaned.get("consent_on")
        ):
            self.add_error(
                "information_shared",
                _(
                    "Information may only be shared when the parent's consent to share, and its date, are recorded."
                ),
            )
        return cleaned


class ReportForm(DesignsystemetFormMixin, VersionedFormMixin, forms.ModelForm):
    text_max_lengths = {"summary": LONG_TEXT_MAX_LENGTH}  # the report's main text

    class Meta:
        model = FollowUpReport
        fields = ["period_start", "period_end", "summary", "assessment"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        return cleaned


class CloseForm(DesignsystemetFormMixin, VersionedFormMixin):
    closed_on = forms.DateField(label=_("Closed on"))
    reason = forms.ChoiceField(
        label=_("Reason"), choices=ClosureReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)
    aftercare_until = forms.DateField(
        label=_("Follow the family after reunification until"),
        required=False,
        help_text=_(
            "Only after a decision lifting the care order: at most six months from that "
            "decision. Leave empty for the full six months."
        ),
    )
