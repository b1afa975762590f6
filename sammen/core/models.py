"""Building blocks shared by every domain app."""

from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

CONCURRENT_EDIT_MESSAGE = _(
    "Someone else changed this while you were editing. Your changes were not saved."
)


class ConcurrentEditError(ValidationError):
    """Somebody else saved the record after the form (or the page with the button) was opened.

    A `ValidationError`, so that every view that shows a refused save on its form shows this
    one too, with the typed values kept, and the transaction is rolled back.
    """

    def __init__(self, message=None):
        super().__init__(message or CONCURRENT_EDIT_MESSAGE, code="concurrent_edit")


class UnclaimedWriteError(RuntimeError):
    """A bulk write of versioned rows would pass by their version check (a programming error)."""


class VersionedQuerySet(models.QuerySet):
    """Refuses writes of many rows at once, which would change rows without claiming them.

    Each row is changed through `save()`, which claims its version; deletes are allowed.
    """

    def update(self, **kwargs):
        raise UnclaimedWriteError(
            f"{self.model.__name__}: change each row with save(), which claims its version"
        )

    def bulk_update(self, objs, fields, batch_size=None):
        raise UnclaimedWriteError(
            f"{self.model.__name__}: change each row with save(), which claims its version"
        )


class VersionedModel(models.Model):
    """A record protected against lost updates by a version number (optimistic locking).

    Every `save()` of an existing row claims the version the instance carries: one statement
    `UPDATE … SET version = version + 1 WHERE id = … AND version = <carried>`. If the row has
    moved on since the instance (or the form it came from) was read, nothing is written and
    `ConcurrentEditError` is raised. Of two concurrent changes of one row exactly one wins: on
    PostgreSQL the second claim waits for the first transaction's row lock and then finds the
    new version; on SQLite writers are serialised. A form that was opened at an earlier version
    hands it over with `carry_version()` (or `save_versioned`).
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            if not _claim(type(self), using, self.pk, self.version):
                raise ConcurrentEditError()
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
            return super().save(*args, **kwargs)

    def carry_version(self, expected_version: int | None) -> None:
        """The next save claims `expected_version`: the version the user's form was opened at.
        A missing version (a form without it) can claim nothing, so the save is refused."""
        self.version = expected_version if expected_version is not None else 0

    def delete_versioned(self, *, expected_version: int | None):
        """Delete the row only if nobody changed it since `expected_version`: an edit and a
        delete at the same moment cannot both succeed."""
        using = router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            if not _claim(type(self), using, self.pk, expected_version or 0):
                raise ConcurrentEditError()
            return self.delete(using=using)

    def save_versioned(self, *, expected_version: int | None, **save_kwargs) -> None:
        """Save an existing row only if nobody else saved it since `expected_version`."""
        self.carry_version(expected_version)
        self.save(**save_kwargs)


def _claim(model, using: str, pk, version: int) -> int:
    """`UPDATE … SET version = version + 1 WHERE pk = … AND version = …`: 1 if claimed."""
    rows = models.QuerySet(model=model, using=using).filter(pk=pk, version=version)
    return rows.update(version=F("version") + 1)
