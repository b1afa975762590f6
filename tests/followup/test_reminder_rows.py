"""The reminder list (`followup/_reminders.html`, on «Min uke» and the follow-up overview)."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

from sammen.followup import rules


def _render(reminders, today):
    with translation.override("en"):
        return render_to_string(
            "followup/_reminders.html", {"reminders": reminders, "today": today}
        )


def test_overdue_and_moved_deadlines_are_marked_and_the_reason_escaped():
    moved = rules.Reminder(
        date(2025, 12, 29),
        "Report due for Anne <Testmor>",
        "/saker/1/oppfolging/2/",
        moved_from=date(2025, 12, 27),
        moved_because="Saturday & <b>",
    )
    ahead = rules.Reminder(date(2026, 1, 20), "Review the frame for Anne Testmor")
    html = _render([moved, ahead], date(2026, 1, 5))
    assert '<span class="app-overdue">Overdue 29.12.2025</span>: ' in html
    assert (
        '<a class="ds-link" href="/saker/1/oppfolging/2/">Report due for Anne &lt;Testmor&gt;</a>'
        in html
    )
    assert '<span class="app-muted">(moved from 27.12., Saturday &amp; &lt;b&gt;)</span>' in html
    assert "<li>20.01.2026: Review the frame for Anne Testmor</li>" in html


def test_no_reminders_say_so():
    assert "No deadlines." in _render([], date(2026, 1, 5))
