"""The organisation: service units, their sections and the staff who work in them."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportApprover(models.TextChoices):
    SECTION_LEADER = "section_leader", _("The section leader")
    CASEWORKER = "caseworker", _("The caseworker")


class ServiceUnit(models.Model):
    """A municipal child welfare service, e.g. "Barneverntjenesten i bydel Nordvik"."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    municipality = models.CharField(_("municipality"), max_length=100)
    report_approver = models.CharField(
        _("who approves follow-up and visit reports"),
        max_length=20,
        choices=ReportApprover.choices,
        default=ReportApprover.SECTION_LEADER,
    )

    class Meta:
        verbose_name = _("service unit")
        verbose_name_plural = _("service units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A section inside a service unit, e.g. "Seksjon for omsorg"."""

    unit = models.ForeignKey(
        ServiceUnit, on_delete=models.PROTECT, related_name="sections", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["unit__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="section_unique_name_per_unit")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    COUNSELLOR = "counsellor", _("Family counsellor")
    SECTION_LEADER = "section_leader", _("Section leader")
    PROGRAMME_LEAD = "programme_lead", _("Programme lead")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    """A member of staff. Parents are not users of this kind (they get their own later).

    `unit` is where the person works; `section` is set for caseworkers and section leaders
    (a section leader leads the section named here).
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        ServiceUnit,
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
        verbose_name=_("unit"),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
        verbose_name=_("section"),
    )
    # The language the person chose for Sammen; empty: Norwegian bokmål, whatever the browser
    # says (many municipal PCs run English browsers).
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    # Who the person is at the municipality's identity provider (sammen.signin): the value of
    # the claim SAMMEN_OIDC_CLAIM names, e.g. the Entra ID object id (`oid`). Empty (NULL, so
    # that many may be empty): the person cannot sign in through the identity provider.
    external_id = models.CharField(
        _("ID at the identity provider"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        help_text=_(
            "The value the municipality's identity provider sends for this person, e.g. the "
            "Entra ID object ID. Empty: the person cannot sign in through the identity provider."
        ),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["first_name", "last_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_caseworker(self) -> bool:
        return self.role == Role.CASEWORKER

    @property
    def is_counsellor(self) -> bool:
        return self.role == Role.COUNSELLOR

    @property
    def is_section_leader(self) -> bool:
        return self.role == Role.SECTION_LEADER

    @property
    def is_programme_lead(self) -> bool:
        return self.role == Role.PROGRAMME_LEAD

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR
