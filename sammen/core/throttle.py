"""Sign-in throttling (django-axes): the client's address and the Norwegian lock-out page.

After `AXES_FAILURE_LIMIT` failed sign-ins for one user name from one address, axes refuses that
user name from that address, even with the right password, until `AXES_COOLOFF_TIME` has passed
without a new failure. Axes then asks `lockout_response` for the answer: the sign-in page again,
with the lock-out explained in the person's language (status 429), never a server error.
"""

import math

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import ngettext

from .forms import SignInForm


def client_ip(request) -> str | None:
    """The address a sign-in came from, for the lock-out key.

    Without a proxy in front (`SAMMEN_PROXY_COUNT` 0) it is the connection's address. Behind N
    reverse proxies that each append to X-Forwarded-For, it is the entry the outermost proxy
    wrote (the Nth from the right): entries further left come from the client and can be forged.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.SAMMEN_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


def lockout_message() -> str:
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return ngettext(
        "Too many failed sign-in attempts. Signing in with this user name from this device is "
        "locked for %(minutes)s minute. Try again later, or ask your administrator to unlock it.",
        "Too many failed sign-in attempts. Signing in with this user name from this device is "
        "locked for %(minutes)s minutes. Try again later, or ask your administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page with the lock-out message and the user name kept (AXES_LOCKOUT_CALLABLE)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = SignInForm(request, initial={"username": username[:150]})
    context = {
        "form": form,
        "next": request.POST.get("next", request.GET.get("next", "")),
        "lockout_message": lockout_message(),
    }
    return render(request, "registration/login.html", context, status=429)
