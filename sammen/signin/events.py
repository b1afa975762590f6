"""Sign-in and sign-out events of the staff, written to the log (logger `sammen.signin`).

The audit log (`sammen.audit`) records reads and writes of case data; its actions have no
sign-in or sign-out (adding them is a change to the audit app and its migration), so these
events go through Django's logging: INFO for a sign-in or sign-out, WARNING for a refusal.
Claim values are never written (for ID-porten the claim is a national identity number).
"""

import logging

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in, user_logged_out

from .backends import ProviderBackend

logger = logging.getLogger("sammen.signin")

BACKEND = f"{ProviderBackend.__module__}.{ProviderBackend.__qualname__}"


def _method(request) -> str:
    """How the person signed in: `login()` writes the backend to the session, not to the user."""
    backend = request.session.get(BACKEND_SESSION_KEY, "") if request is not None else ""
    return "identity provider" if backend == BACKEND else "password"


def signed_in(sender, request, user, **kwargs):
    provider = getattr(request, "signin_provider", "")
    logger.info(
        "sign-in: user %s (%s) through %s%s",
        user.pk,
        user.username,
        _method(request),
        f" {provider}" if provider else "",
    )


def signed_out(sender, request, user, **kwargs):
    if user is not None:
        logger.info("sign-out: user %s (%s)", user.pk, user.username)


def refused(*, provider: str, reason: str, user=None) -> None:
    who = f" (user {user.pk})" if user is not None else ""
    logger.warning("sign-in refused through %s%s: %s", provider, who, reason)


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="signin_log_sign_in")
    user_logged_out.connect(signed_out, dispatch_uid="signin_log_sign_out")
