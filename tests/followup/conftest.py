"""Fixtures of the follow-up tests."""

from .week_data import week  # noqa: F401 — the fixture, for the tests of «Min uke»
