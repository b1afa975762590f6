"""Follow-up of a parent in the «Sammen om barnet» way: one `FollowUp` per parent."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.cases.models import ChildCase, Person, TribunalDecision
from sammen.cases.models.decisions import ImmutableRecordError
from sammen.cases.review import ReviewedReport
from sammen.core.models import VersionedModel

from .choices import (
    Channel,
    ClosureReason,
    ConsentKind,
    MeetingKind,
    Method,
    Order,
    Phase,
    Place,
    Service,
    State,
    WithWhom,
)

USER = settings.AUTH_USER_MODEL


class Referral(VersionedModel):
    """The caseworker's referral (henvisning) of one or more parents to a family counsellor."""

    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="referrals")
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField(_("referred on"))
    order = models.CharField(_("order"), max_length=20, choices=Order.choices)
    goals = models.TextField(_("goals of the follow-up"))
    counsellor_should_know = models.TextField(_("what the counsellor should know"), blank=True)
    decision_comment = models.TextField(_("comment from the section leader"), blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    counsellor = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_referrals",
        verbose_name=_("family counsellor"),
    )
    assigned_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_order_display()}"


class FollowUp(VersionedModel):
    """One parent's follow-up (oppfølgingsforløp), e.g. the mother's, from referral to closure."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="followups")
    parent = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="followups")
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.REFERRED
    )
    reoffer_on = models.DateField(_("offer again on"), null=True, blank=True)
    report_period_months = models.PositiveSmallIntegerField(
        _("report period (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    contacts_per_month = models.PositiveSmallIntegerField(
        _("expected contacts per month"), null=True, blank=True, validators=[MaxValueValidator(31)]
    )
    frame_review_on = models.DateField(_("review of the frame on"), null=True, blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closure"), max_length=12, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.TextField(_("note on closure"), blank=True)
    aftercare_until = models.DateField(
        _("follow-up after reunification until"), null=True, blank=True
    )
    # Aftercare (bvl. § 8-7) starts from the tribunal's decision lifting the care order.
    lifting_decision = models.ForeignKey(
        TribunalDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aftercare_followups",
        verbose_name=_("decision lifting the care order"),
    )

    class Meta:
        verbose_name = _("follow-up of a parent")
        verbose_name_plural = _("follow-ups of parents")
        ordering = ["referral", "parent__relation"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent"],
                condition=~models.Q(state="closed"),
                name="followup_one_open_per_parent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent} – {self.get_state_display()}"

    @property
    def case(self) -> ChildCase:
        return self.referral.case

    def aftercare_lasts(self, on: date | None = None) -> bool:
        """Whether the family is followed up after the care order was lifted on `on` (today)."""
        from .rules import aftercare_lasts

        return aftercare_lasts(self, on or timezone.localdate())


class Information(models.Model):
    """When and how the parent was informed about the offer, and what was covered."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="information")
    informed_on = models.DateField(_("informed on"))
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language used"), max_length=60)
    interpreter_used = models.BooleanField(_("a qualified interpreter took part"), default=False)
    topics = models.JSONField(_("information topics covered"), default=list, blank=True)
    points = models.JSONField(_("first-conversation points covered"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("information to the parent")
        verbose_name_plural = _("information to parents")
        ordering = ["-informed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.informed_on:%d.%m.%Y} {self.get_channel_display()}"


class ConsentEvent(models.Model):
    """Consent given, an offer declined, or consent withdrawn — never edited, only added."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("what happened"), max_length=10, choices=ConsentKind.choices)
    on = models.DateField(_("date"))
    reoffer_on = models.DateField(_("offer again on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on:%d.%m.%Y} {self.get_kind_display()}"


class StartMeeting(models.Model):
    """The internal discussion meeting, or the joint start meeting with the parent."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("meeting"), max_length=10, choices=MeetingKind.choices)
    held_on = models.DateField(_("held on"))
    participants = models.CharField(_("participants"), max_length=300)
    agreed_order = models.TextField(_("the order as agreed"), blank=True)
    counsellor_tasks = models.TextField(_("the counsellor does"), blank=True)
    caseworker_tasks = models.TextField(_("the caseworker does"), blank=True)
    foster_home_contact = models.TextField(_("contact with the foster home"), blank=True)
    information_flow = models.TextField(_("information flow and documentation"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("start meeting")
        verbose_name_plural = _("start meetings")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y} {self.get_kind_display()}"


class Contact(VersionedModel):
    """A guidance session or other contact (veiledningssamtale) in an active follow-up."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="contacts")
    held_on = models.DateField(_("date"))
    with_whom = models.CharField(_("with whom"), max_length=12, choices=WithWhom.choices)
    place = models.CharField(_("where"), max_length=10, choices=Place.choices)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    notes = models.TextField(_("notes"), blank=True)
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-held_on", "-id"]
        # «Min uke» reads a week of sessions of a counsellor's follow-ups.
        indexes = [models.Index(fields=["followup", "held_on"], name="contact_followup_held_on")]


class ContactRevisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError("earlier versions of a contact cannot be changed")

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRecordError("earlier versions of a contact cannot be changed")

    def update_or_create(self, *args, **kwargs):
        raise ImmutableRecordError("earlier versions of a contact cannot be changed")


# The recorded values of a contact that a correction keeps.
CONTACT_VALUES = ("held_on", "with_whom", "place", "method", "minutes", "notes", "next_steps")


class ContactRevision(models.Model):
    """A contact as it stood before a correction: who corrected it, when and why.

    Never changed or deleted on its own (it goes only with its contact); each correction of a
    contact (`services.contact_correct`) adds one, so the contact's history can be read back.
    """

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("contact")
    )
    number = models.PositiveIntegerField(_("version"))
    held_on = models.DateField(_("date"))
    with_whom = models.CharField(_("with whom"), max_length=12, choices=WithWhom.choices)
    place = models.CharField(_("where"), max_length=10, choices=Place.choices)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"))
    notes = models.TextField(_("notes"), blank=True)
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    reason = models.TextField(_("why the correction"))
    corrected_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("corrected by")
    )
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now)

    objects = ContactRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("earlier version of a contact")
        verbose_name_plural = _("earlier versions of contacts")
        ordering = ["contact", "-number"]
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["contact", "number"], name="contactrevision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError("earlier versions of a contact cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("earlier versions of a contact cannot be deleted")

    @classmethod
    def of(cls, contact: Contact, *, reason: str, corrected_by):
        """An unsaved revision with `contact`'s values as they are stored now."""
        values = {name: getattr(contact, name) for name in CONTACT_VALUES}
        return cls(
            contact=contact,
            number=contact.version,
            recorded_by_id=contact.recorded_by_id,
            reason=reason,
            corrected_by=corrected_by,
            **values,
        )


class PhaseChange(models.Model):
    """The parent's phase from a date; the latest is the current phase."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    from_date = models.DateField(_("from"))
    note = models.TextField(_("why"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("the parent's phase")
        verbose_name_plural = _("phases")
        ordering = ["-from_date", "-id"]

    def __str__(self) -> str:
        return f"{self.from_date:%d.%m.%Y} {self.get_phase_display()}"


class LivingConditions(models.Model):
    """The parent's own view of their living conditions (guideline 002 §4.5.6)."""

    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="living_conditions"
    )
    assessed_on = models.DateField(_("date"))
    economy = models.TextField(_("economy"), blank=True)
    education_work = models.TextField(_("education and work"), blank=True)
    housing = models.TextField(_("housing"), blank=True)
    health = models.TextField(_("health"), blank=True)
    social = models.TextField(_("social contact"), blank=True)
    help_wanted = models.TextField(_("help the parent wants"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("living conditions")
        verbose_name_plural = _("living conditions")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.assessed_on:%d.%m.%Y}"


class ServiceReferral(models.Model):
    """A referral to another service. Information is shared only with the parent's consent."""

    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="service_referrals"
    )
    service = models.CharField(_("service"), max_length=12, choices=Service.choices)
    referred_on = models.DateField(_("date"))
    purpose = models.TextField(_("purpose"))
    consent_to_share = models.BooleanField(
        _("the parent consents to sharing information"), default=False
    )
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    information_shared = models.BooleanField(_("information was shared"), default=False)
    counsellor_attends = models.BooleanField(
        _("the counsellor goes along to meetings"), default=False
    )
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("referral to another service")
        verbose_name_plural = _("referrals to other services")
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(information_shared=False)
                | models.Q(consent_to_share=True, consent_on__isnull=False),
                name="servicereferral_sharing_needs_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.referred_on:%d.%m.%Y} {self.get_service_display()}"


class FollowUpReport(VersionedModel, ReviewedReport):
    """The counsellor's periodic report over a period's contacts."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    summary = models.TextField(_("contact and content"))
    assessment = models.TextField(_("assessment"), blank=True)
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_ordered",
            )
        ]

    @property
    def review_starts_on(self):
        """The report cannot be gone through with the parent before its period begins."""
        return self.period_start
