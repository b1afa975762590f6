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
- The builder is a pure function of its keyword values. The *shape* of a call is what may steer
  the builder or the ORM's compiling: each `None`, `True`, `False`, `0` and `""` value; the
  length of each list and which of its items repeat (`__in` drops repeats); the range of
  Django's integer fields each int falls in (the ORM drops a lookup with a value outside its
  field's range); the current time zone and language. Each shape is compiled on its own.
  Naive datetimes, and values of other types, are refused.
- Every other value (an int, a string, a date, a datetime, or one item of a list) is a *slot*.
  A shape is compiled with two sets of marker values and with the first call's own values. The
  SQL text must be the same all three times; every parameter that differs between the marker
  compilations must be a marker adapted as the database adapts that type; and the call's own
  compilation must be the statement with its values in the slots. If not (the builder computed
  something from a value, or a value steered it), `StatementError` is raised rather than a
  guess made. A builder must therefore use a value only as a value: `if counsellor_id:` is
  fine (zero is a shape of its own), `if pk > 100:` is not, and the first call of a shape
  only catches it if that call's value takes the other path. Lists of more than
  `LIST_ITEMS_COMPILED` items are built each call.
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
from django.utils import timezone, translation

SHAPES_PER_STATEMENT = 64
# Longer lists (together) are built each call: a shape per length would not be reused.
LIST_ITEMS_COMPILED = 1000


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
        if not _REUSE.get() or _list_items(values) > LIST_ITEMS_COMPILED:
            return self.fresh(**values)
        shape = _shape(values)
        with self._lock:
            compiled = self._compiled.get(shape)
            if compiled is not None:
                self._compiled.move_to_end(shape)
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


def _is_shape_value(value) -> bool:
    """None, True, False, 0 and "" steer a builder (`if counsellor_id:`): they are part of the
    shape, not slots."""
    return value is None or isinstance(value, bool) or (type(value) in (int, str) and not value)


def _shape(values) -> tuple:
    def kind(value):
        if _is_shape_value(value):
            return (type(value).__name__, value)
        if isinstance(value, list | tuple):
            # Which items repeat is part of the shape: `__in` drops repeated values.
            return ("list", tuple(kind(item) for item in value), _repeats(value))
        if type(value) is int:
            return ("int", _int_range(value))
        if type(value) is datetime and timezone.is_naive(value):
            raise StatementError("A statement takes aware datetimes only.")
        if type(value) in _ADAPTERS:
            return type(value).__name__
        raise StatementError(f"A statement cannot take {type(value).__name__} values.")

    # The ORM compiles the current time zone (`__date`, Trunc) and language (translated
    # `Value`s) into a statement's parameters: each has its own statements.
    context = (timezone.get_current_timezone_name(), translation.get_language())
    return (context, *sorted((name, kind(value)) for name, value in values.items()))


# The largest value of each range of Django's integer fields (small, normal, big); a negative
# range reaches one further (-32768).
_INT_BOUNDS = (2**15 - 1, 2**31 - 1, 2**63 - 1)
# A marker in each range: the ORM drops a lookup whose value is outside its field's range
# (`IntegerFieldOverflow`), so a marker must fall in the same ranges as the value it stands for.
_INT_MARKER_BASES = (2**14, 2**30, 2**62, 2**64)


def _int_range(value: int) -> tuple[bool, int]:
    size = value if value > 0 else -value - 1
    return value > 0, next((i for i, b in enumerate(_INT_BOUNDS) if size <= b), len(_INT_BOUNDS))


def _markers(values, which: int):
    """`values` with each slot replaced by a marker of its type (and integer range), unique
    within the call; the two sets (`which` 0 and 1) differ in every slot."""
    counter = itertools.count(1)

    def mark(value):
        if _is_shape_value(value):
            return value
        if isinstance(value, list | tuple):
            items = [mark(item) for item in value]
            # A repeated item repeats its marker (the shape holds which items repeat).
            return type(value)(items[first] for first in _repeats(value))
        n = 2 * next(counter) + which
        if type(value) is int:
            positive, size = _int_range(value)
            return _INT_MARKER_BASES[size] + n if positive else -_INT_MARKER_BASES[size] - n
        return _MARKERS[type(value)](n)

    return {name: mark(value) for name, value in values.items()}


def _list_items(values) -> int:
    return sum(len(value) for value in values.values() if isinstance(value, list | tuple))


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
    elif not _is_shape_value(first):
        yield path, (first, second)


def _leaf(values, path):
    for step in path:
        values = values[step]
    return values


# Markers of the other types. A string marker holds what lookups escape or fold (`%`, `_`,
# `\`, both cases): a lookup that rewrites its value then shows as a value computed from.
_MARKERS = {
    str: lambda n: f"Mk%_\\{n}\u2063",
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
