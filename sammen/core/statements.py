"""ORM queries built and compiled once per shape, then run with each call's values.

Django builds and compiles a queryset afresh on every call. For the leaders' aggregates that
Python work (about 0.3–4 ms) costs more than the SQL itself. A `Statement` keeps what the ORM
compiled, as ORMs with a compiled-statement cache do, and runs it again with new values:

    @statement
    def _counted(*, unit_id: int, sections: list[int], since: date) -> QuerySet:
        return Thing.objects.filter(...).values_list(...)

    rows = _counted(unit_id=1, sections=[3, 4], since=date(2026, 1, 1))

The SQL is still the ORM's, and so is the conversion of the rows (dates, decimals).

How it stays right:
- The builder is a pure function of its keyword values. Each `None`, `True` or `False` value,
  and the length of each list, is part of the *shape*: each shape is compiled on its own.
- Every other value (an int, a string, a date, a datetime, or one item of a list) is a *slot*.
  A shape is compiled with two sets of marker values and with the first call's own values. The
  SQL text must be the same all three times; every parameter that differs between the marker
  compilations must be a marker adapted as the database adapts that type; and the call's own
  compilation must be the statement with its values in the slots. If not (the builder computed
  something from a value, or a value steered it), `StatementError` is raised rather than a
  guess made. A builder must therefore use a value only as a value, never to decide anything.
- The compiler kept for a shape is used only to convert rows (its converters need no live
  connection); every query runs on the calling thread's connection.
- A query the ORM finds empty (`EmptyResultSet`, e.g. `pk__in=[]`) gives no rows, as the
  ORM gives.

The compiled statements are kept in process memory: SQL text with markers, never data.
"""

import functools
import itertools
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from threading import Lock

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable

SHAPES_PER_STATEMENT = 64


class StatementError(TypeError):
    """The builder cannot be compiled once for all values of its shape."""


@dataclass(frozen=True)
class _Compiled:
    alias: str
    sql: str | None  # None: the ORM finds the query empty
    params: tuple
    slots: tuple[tuple[int, tuple, Callable], ...]  # (parameter index, value path, adapter)
    compiler: object


class Statement:
    """See the module. Call with keyword values only; `fresh(...)` builds and runs as the ORM
    does on every call (for tests and the benchmark)."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: OrderedDict = OrderedDict()
        self._lock = Lock()
        functools.update_wrapper(self, build)

    def __call__(self, **values) -> list[tuple]:
        if not _REUSE.get():
            return self.fresh(**values)
        shape = _shape(values)
        compiled = self._compiled.get(shape)
        if compiled is None:
            compiled = self._compile(values)
            with self._lock:
                self._compiled[shape] = compiled
                while len(self._compiled) > SHAPES_PER_STATEMENT:
                    self._compiled.popitem(last=False)
        return _run(compiled, values)

    def fresh(self, **values) -> list[tuple]:
        return list(self._queryset(values))

    def _queryset(self, values) -> QuerySet:
        queryset = self.build(**values)
        if not isinstance(queryset, QuerySet) or queryset._iterable_class is not ValuesListIterable:
            raise StatementError(f"{self.__name__} must return a values_list() queryset.")
        return queryset

    def _compile(self, values) -> _Compiled:
        first, second = _markers(values, 0), _markers(values, 1)
        compiled = [self._compile_with(v) for v in (first, second, values)]
        (alias, sql, params, compiler), (_, sql_2, params_2, _), (_, sql_3, params_3, _) = compiled
        if not sql == sql_2 == sql_3 or not len(params) == len(params_2) == len(params_3):
            raise StatementError(f"{self.__name__}: a value changes the SQL, not only its values.")
        if sql is None:
            return _Compiled(alias, None, (), (), compiler)
        connection = connections[alias]
        found = {}
        for path, (marker, marker_2) in _paired_leaves(first, second):
            adapt = _ADAPTERS[type(marker)]
            found[_plain(adapt(connection, marker))] = (path, marker, adapt(connection, marker_2))
        slots = []
        for index, (value, value_2) in enumerate(zip(params, params_2, strict=True)):
            if value == value_2 and type(value) is type(value_2):
                continue
            path, marker, expected_2 = found.get(_plain(value), (None, None, None))
            if (
                path is None
                or _plain(value_2) != _plain(expected_2)
                or type(value) is not type(value_2)
            ):
                raise StatementError(
                    f"{self.__name__}: parameter {index} is computed from a value; "
                    "compute it before calling and pass it in."
                )
            slots.append((index, path, _slot_adapter(marker, value)))
        result = _Compiled(alias, sql, tuple(params), tuple(slots), compiler)
        # The call's own values must compile to the same statement with them in its slots (a
        # builder steered by a value's size or sign would otherwise pass with the markers).
        if [_plain(p) for p in _params(result, values, connection)] != [
            _plain(p) for p in params_3
        ]:
            raise StatementError(f"{self.__name__}: these values take another path in the builder.")
        return result

    def _compile_with(self, values):
        queryset = self._queryset(values)
        compiler = queryset.query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return queryset.db, None, (), compiler
        if compiler.has_extra_select:
            raise StatementError(f"{self.__name__}: extra() selects are not supported.")
        return queryset.db, sql, tuple(params), compiler


def statement(build: Callable[..., QuerySet]) -> Statement:
    return Statement(build)


_REUSE: ContextVar[bool] = ContextVar("statements_reused", default=True)


@contextmanager
def built_each_call():
    """Within this block every statement is built and compiled by the ORM on each call, as
    plain querysets are (the benchmark measures both ways)."""
    token = _REUSE.set(False)
    try:
        yield
    finally:
        _REUSE.reset(token)


def _run(compiled: _Compiled, values) -> list[tuple]:
    if compiled.sql is None:
        return []
    connection = connections[compiled.alias]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, _params(compiled, values, connection))
        rows = cursor.fetchall()
    # The ORM's own conversion of the rows (its converters for this select).
    return list(compiled.compiler.results_iter(results=[rows], tuple_expected=True))


def _params(compiled: _Compiled, values, connection) -> list:
    params = list(compiled.params)
    for index, path, adapt in compiled.slots:
        params[index] = adapt(connection, _leaf(values, path))
    return params


# Shapes, markers and adapters ---------------------------------------------------------------

_SHAPE_VALUES = (type(None), bool)


def _shape(values) -> tuple:
    def kind(value):
        if isinstance(value, _SHAPE_VALUES):
            return value
        if isinstance(value, list | tuple):
            # Which items repeat is part of the shape: `__in` drops repeated values.
            return ("list", tuple(kind(item) for item in value), _repeats(value))
        if type(value) in _ADAPTERS:
            return type(value)
        raise StatementError(f"A statement cannot take {type(value).__name__} values.")

    return tuple(sorted((name, kind(value)) for name, value in values.items()))


def _markers(values, which: int):
    """`values` with each slot replaced by a marker of its type, unique within the call; the
    two sets (`which` 0 and 1) differ in every slot."""
    counter = itertools.count(1)

    def mark(value):
        if isinstance(value, _SHAPE_VALUES):
            return value
        if isinstance(value, list | tuple):
            items = [mark(item) for item in value]
            # A repeated item repeats its marker (the shape holds which items repeat).
            return type(value)(items[first] for first in _repeats(value))
        n = 2 * next(counter) + which
        return _MARKERS[type(value)](n)

    return {name: mark(value) for name, value in values.items()}


def _repeats(items) -> tuple[int, ...]:
    """For each item, the index of its first occurrence in `items`."""
    first: dict = {}
    try:
        return tuple(first.setdefault((type(item), item), i) for i, item in enumerate(items))
    except TypeError:
        raise StatementError("A statement's lists hold plain values only.") from None


def _paired_leaves(first, second, path=()):
    if isinstance(first, dict):
        for name in first:
            yield from _paired_leaves(first[name], second[name], (*path, name))
    elif isinstance(first, list | tuple):
        for i, (a, b) in enumerate(zip(first, second, strict=True)):
            yield from _paired_leaves(a, b, (*path, i))
    elif not isinstance(first, _SHAPE_VALUES):
        yield path, (first, second)


def _leaf(values, path):
    for step in path:
        values = values[step]
    return values


# A marker is far from any real value: negative ids, dates in the 18th century.
_MARKERS = {
    int: lambda n: -(10**12) - n,
    str: lambda n: f"\u2063marker-{n}\u2063",
    date: lambda n: date(1700, 1, 1) + timedelta(days=n),
    datetime: lambda n: datetime(1700, 1, 1, 12, tzinfo=UTC) + timedelta(hours=n),
}
# How the ORM adapts a value of each type for the database (Field.get_db_prep_value). An int
# may come back wrapped in the driver's integer type for its column (psycopg 3's Int4, Int8):
# a slot then wraps its values the same way (`_as_compiled`).
_ADAPTERS = {
    int: lambda connection, value: value,
    str: lambda connection, value: value,
    date: lambda connection, value: connection.ops.adapt_datefield_value(value),
    datetime: lambda connection, value: connection.ops.adapt_datetimefield_value(value),
}


def _plain(value):
    """A compiled parameter as a plain, comparable value (tagged with its kind)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return ("int", int(value))
    return (type(value).__name__, value)


def _slot_adapter(marker, compiled_marker) -> Callable:
    """How a slot's values become parameters: as the ORM adapted the slot's marker."""
    wrap = type(compiled_marker)
    if isinstance(marker, int) and wrap is not int:
        return lambda connection, value: wrap(value)
    return _ADAPTERS[type(marker)]
