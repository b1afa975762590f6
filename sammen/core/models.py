"""Building blocks shared by every domain app."""

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(Exception):
    """Somebody else saved the record after the form was opened."""


class VersionedModel(models.Model):
    """A record protected against lost updates by a version number (optimistic locking).

    A form carries the version it was opened with; `save_versioned` refuses the save when the
    row has moved on in the meantime.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save_versioned(self, *, expected_version: int, **save_kwargs) -> None:
        """Save an existing row only if nobody else saved it since `expected_version`."""
        with transaction.atomic():
            claimed = (
                type(self)
                ._default_manager.filter(pk=self.pk, version=expected_version)
                .update(version=F("version") + 1)
            )
            if not claimed:
                raise ConcurrentEditError(
                    _(
                        "Someone else changed this while you were editing. Your changes were not saved."
                    )
                )
            self.version = expected_version + 1
            self.save(**save_kwargs)


class DataVersion(models.Model):
    """A random token that database triggers replace whenever a row of the data it versions
    changes (`core.versioning`); pages keep what they computed under it."""

    token = models.BigIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.pk}: {self.token}"


class UnitVersion(DataVersion):
    """The version of a service unit's data: the dashboard is kept under it."""

    unit_id = models.BigIntegerField(primary_key=True)

    class Meta:
        verbose_name = _("data version of a unit")
        verbose_name_plural = _("data versions of units")


class CaseVersion(DataVersion):
    """The version of a case's data: the case overview and «Min uke» are kept under it."""

    case_id = models.BigIntegerField(primary_key=True)

    class Meta:
        verbose_name = _("data version of a case")
        verbose_name_plural = _("data versions of cases")
