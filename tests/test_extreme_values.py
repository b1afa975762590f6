# ruff: noqa: F811 — `world` is imported as the fixture the tests take
"""No stored value breaks a page: extreme dates and numbers written straight into every date
and number column (past the forms and the models' checks), then every page of the permission
matrix opened as every role. A page may show, mark or refuse such a value; it may not fail.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from tests.test_permission_matrix import (  # noqa: F401 — `world` is the fixture
    EVERYONE,
    all_routes,
    matrix_cells,
    url_kwargs,
    world,
)

pytestmark = pytest.mark.django_db
PROJECT_APPS = ("org", "access", "cases", "followup", "visits", "timelog", "insights")
SKIPPED = {"version", "id"}  # the optimistic-lock counter and keys are not data
EXTREMES = {
    "far future": {
        models.DateField: date(9999, 12, 31),
        models.DateTimeField: datetime(9999, 12, 30, 12, tzinfo=UTC),
        "int": lambda field: _int_range(field)[1],
    },
    "far past": {
        models.DateField: date(1, 1, 2),
        models.DateTimeField: datetime(1, 1, 2, 12, tzinfo=UTC),
        "int": lambda field: _int_range(field)[0],
    },
}


def _int_range(field) -> tuple[int, int]:
    if isinstance(field, models.DecimalField):
        top = Decimal(10 ** (field.max_digits - field.decimal_places)) - Decimal(1)
        return (Decimal(0), top)
    low, high = -(2**31), 2**31 - 1
    if isinstance(field, models.PositiveSmallIntegerField | models.SmallIntegerField):
        high = 2**15 - 1
    if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
        low = 0
    return low, high


def _value(field, extremes):
    if isinstance(field, models.DateTimeField):
        return extremes[models.DateTimeField]
    if isinstance(field, models.DateField):
        return extremes[models.DateField]
    if isinstance(field, models.IntegerField | models.DecimalField) and not field.choices:
        return extremes["int"](field)
    return None


def columns():
    """(model, field) for every date and number column of the project's own tables."""
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if field.primary_key or field.is_relation or field.name in SKIPPED:
                    continue
                if isinstance(field, models.DateField | models.IntegerField | models.DecimalField):
                    yield model, field


def write_extremes(extremes) -> tuple[int, list[str]]:
    """Write the extreme value into each column of every row, one column at a time; a value a
    database constraint refuses is left out (the database itself keeps it out). Returns how many
    columns were written, and those the database refused."""
    written, refused = 0, []
    for model, field in columns():
        value = _value(field, extremes)
        if value is None:
            continue
        rows = models.QuerySet(model=model)
        try:
            with transaction.atomic():
                rows.update(**{field.attname: value})
            written += 1
        except IntegrityError:
            refused.append(f"{model._meta.label}.{field.name}")
    return written, refused


@pytest.mark.parametrize("name", list(EXTREMES))
def test_no_page_fails_on_extreme_stored_values(world, name):
    written, _refused = write_extremes(EXTREMES[name])
    assert written > 40, f"only {written} columns written: is the walk broken?"
    failures, checked = [], 0
    for client in world["clients"].values():
        client.raise_request_exception = False
    for route, case_label in matrix_cells(all_routes()):
        records = world["cases"][case_label or "case_a"]
        url = route.url(**url_kwargs(route, records, world))
        for who in EVERYONE:
            response = world["clients"][who].get(url)
            checked += 1
            if response.status_code >= 500:
                failures.append(f"{route.key} [{case_label or '-'}] as {who}: {url}")
    assert checked > 500
    assert not failures, f"{len(failures)} of {checked} pages failed:\n" + "\n".join(failures)
