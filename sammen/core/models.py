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
