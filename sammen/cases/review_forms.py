"""The form for going through a report with the parent, shared by follow-up and visit reports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sammen.core.forms import DesignsystemetFormMixin, NotInFutureMixin, VersionedFormMixin

from .review import ParentAgreement


class ReviewForm(DesignsystemetFormMixin, NotInFutureMixin, VersionedFormMixin):
    past_date_fields = ("reviewed_on",)
    reviewed_on = forms.DateField(label=_("Gone through with the parent on"))
    agreement = forms.ChoiceField(
        label=_("Does the parent agree?"), choices=ParentAgreement.choices, widget=forms.RadioSelect
    )
    comments = forms.CharField(
        label=_("The parent's comments"), widget=forms.Textarea, required=False
    )
