"""Keep what a page computed while the data it came from is unchanged (see core.versioning).

A key holds a data version token and everything else the result depends on (viewer rights,
filters, today's date, language). A result may also say until when it holds (an access grant
that ends at a moment, not with a write): it is then kept no longer than that.
"""

import math
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

DAY = 60 * 60 * 24
T = TypeVar("T")


def cache_key(prefix: str, *parts) -> str:
    """The key of `parts` (token first) in the page's language."""
    return ":".join([prefix, *(str(p) for p in parts), get_language() or ""])


def kept(
    key: str | None,
    compute: Callable[[], tuple[T, datetime | None]],
    key_now: Callable[[], str | None],
) -> T:
    """The value kept under `key`, or `compute()`'s value, kept until it says it ends (at most a
    day). No key (no data version yet): computed, not kept.

    `key_now()` reads the key afresh. A computed value is kept only if the key is still the
    same after computing: on PostgreSQL each statement sees the latest commit, so a write
    committed while computing could otherwise leave a value under a key it does not match
    (and a key made of several tokens can come back, e.g. a case added to and taken off a
    counsellor's list)."""
    if key is None:
        return compute()[0]
    value = cache.get(key)
    if value is None:
        value, ends = compute()
        seconds = DAY if ends is None else (ends - timezone.now()).total_seconds()
        if seconds >= 1 and key_now() == key:
            cache.set(key, value, min(DAY, math.floor(seconds)))
    return value
