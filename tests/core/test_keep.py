"""core.keep: a value is kept under its key, not when the key moved while computing, and no
longer than it says it holds."""

import uuid
from datetime import timedelta

import time_machine
from django.utils import timezone

from sammen.core.keep import cache_key, kept


def _counting(value="page", ends=None):
    calls = []

    def compute():
        calls.append(1)
        return value, ends() if callable(ends) else ends

    return compute, calls


def test_a_value_is_served_again_under_the_same_key():
    key = cache_key("test", uuid.uuid4())
    compute, calls = _counting()
    assert kept(key, compute, lambda: key) == "page"
    assert kept(key, compute, lambda: key) == "page"
    assert len(calls) == 1


def test_a_value_is_not_kept_when_its_key_changed_while_it_was_computed():
    key = cache_key("test", uuid.uuid4())
    compute, calls = _counting()
    kept(key, compute, lambda: key + ":after-a-write")
    kept(key, compute, lambda: key)
    assert len(calls) == 2  # the first value was not kept


def test_no_key_means_computed_every_time():
    compute, calls = _counting()
    kept(None, compute, lambda: None)
    kept(None, compute, lambda: None)
    assert len(calls) == 2


def test_a_value_is_kept_no_longer_than_it_holds():
    key = cache_key("test", uuid.uuid4())
    compute, calls = _counting(ends=lambda: timezone.now() + timedelta(minutes=5))
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        kept(key, compute, lambda: key)
        kept(key, compute, lambda: key)
        assert len(calls) == 1
        traveller.shift(timedelta(minutes=6))
        kept(key, compute, lambda: key)
        assert len(calls) == 2


def test_a_value_that_holds_for_less_than_a_second_is_not_kept():
    key = cache_key("test", uuid.uuid4())
    compute, calls = _counting(ends=timezone.now)
    kept(key, compute, lambda: key)
    kept(key, compute, lambda: key)
    assert len(calls) == 2
