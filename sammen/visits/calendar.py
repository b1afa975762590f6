"""The iCal feed of a counsellor's visits. It carries no names: a case reference and a place."""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def _location(session) -> str:
    if session.flat_id:
        return session.flat.name
    return str(session.get_place_kind_display())


def feed(owner, sessions) -> bytes:
    """An iCalendar document with one VEVENT per visit; the UID is stable across fetches."""
    cal = Calendar()
    cal.add("prodid", "-//Sammen//Samvaer//NB")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Visits"))
    stamp = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", f"visit-{session.pk}@sammen")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", _("Visit %(ref)s") % {"ref": session.plan.case.reference})
        event.add("location", _location(session))
        cal.add_component(event)
    return cal.to_ical()
