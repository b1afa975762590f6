"""The benchmark command works end to end on a tiny data set (timings live in the benchmark)."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_bench_command_generates_data_and_prints_ratios():
    out = io.StringIO()
    call_command(
        "bench",
        children=20,
        contacts_per_case=4,
        sessions_per_case=4,
        entries_per_case=4,
        requests=3,
        warmup=1,
        stdout=out,
    )
    text = out.getvalue()
    assert "20 children, 40 parents" in text
    assert "80 follow-up contacts, 80 visit sessions, 160 contacts and sessions together" in text
    for label in ("floor", "case overview", "counsellor's week", "dashboard"):
        assert label in text
    for label in ("load", "duration, intensity", "equal offer", "visits"):
        assert label in text
    assert "× floor" in text and "ratio" in text
    assert "same result" in text
    assert "DIFFERENT" not in text  # the ORM and the hand-written SQL agree
