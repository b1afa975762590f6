"""Signing out after inactivity, and after a whole working day at most.

A signed-in session ends when no request has come for `SAMMEN_SESSION_IDLE_MINUTES`, and in any
case `SAMMEN_SESSION_MAX_HOURS` after sign-in. Every request counts as activity; the time of the
last one is written to the session at most once a minute, so an ordinary page costs no extra
write. `static/sammen/session.js` warns a few minutes before the idle limit (the markup is
`core/_session_warning.html`) and keeps the person signed in, on request, through `renew`.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

SIGNED_IN_AT = "sammen_signed_in_at"
LAST_SEEN_AT = "sammen_last_seen_at"
# Writing the time of every request would make each page a session write; a minute is precise
# enough for a limit of half an hour.
WRITE_EVERY_SECONDS = 60


def idle_seconds() -> int:
    return settings.SAMMEN_SESSION_IDLE_SECONDS


def warning_seconds() -> int:
    """How long before the idle limit the warning shows: five minutes, less for short limits."""
    return min(5 * 60, idle_seconds() // 2)


def expiry_reason(session, now: float) -> str | None:
    """Why the session has ended (a message for the person), or None while it is alive."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        return None
    if now - signed_in_at > settings.SAMMEN_SESSION_MAX_SECONDS:
        hours = max(1, round(settings.SAMMEN_SESSION_MAX_SECONDS / 3600))
        return ngettext(
            "You were signed out because you had been signed in for %(hours)s hour. "
            "Sign in again to continue.",
            "You were signed out because you had been signed in for %(hours)s hours. "
            "Sign in again to continue.",
            hours,
        ) % {"hours": hours}
    if now - last_seen_at > idle_seconds():
        minutes = max(1, round(idle_seconds() / 60))
        return ngettext(
            "You were signed out after %(minutes)s minute without activity. "
            "Sign in again to continue.",
            "You were signed out after %(minutes)s minutes without activity. "
            "Sign in again to continue.",
            minutes,
        ) % {"minutes": minutes}
    return None


def start_clock(sender, request, user, **kwargs):
    """At sign-in (the `user_logged_in` signal): both clocks start afresh, also when the same
    person signs in again in a session that already had them."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


# Set in the signed-out session after a timeout: the next sign-in asks for the credentials again.
REAUTHENTICATE = "sammen_reauthenticate"


class SessionTimeoutMiddleware:
    """Ends a session that was idle too long or is older than the longest allowed; the request
    then goes on signed out (pages that need a person send it to the sign-in page, where the
    message says why). Comes after the authentication and message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = time.time()
            reason = expiry_reason(session, now)
            if reason is not None:
                logout(request)
                # The identity provider's own session outlives ours: the next sign-in through
                # it must ask for the credentials again (`signin.views.begin`).
                request.session[REAUTHENTICATE] = True
                messages.info(request, reason)
            else:
                session.setdefault(SIGNED_IN_AT, now)
                if now - session.get(LAST_SEEN_AT, 0) >= WRITE_EVERY_SECONDS:
                    session[LAST_SEEN_AT] = now
        return self.get_response(request)


@require_POST
def renew(request):
    """The warning's "Stay signed in": renews the session (204), or says it has ended (401)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    request.session[LAST_SEEN_AT] = time.time()
    return HttpResponse(status=204)


def session_warning(request):
    """Template context for the warning (core/_session_warning.html), for the signed-in only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        # The server may have noted the last request up to a minute early (WRITE_EVERY_SECONDS),
        # so the page counts from a minute less and never promises time the server won't give.
        "session_idle_seconds": max(1, idle_seconds() - WRITE_EVERY_SECONDS),
        "session_warning_seconds": warning_seconds(),
        "session_warning_minutes": max(1, round(warning_seconds() / 60)),
    }
