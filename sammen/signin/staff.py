"""Who a staff member signing in through the municipality's identity provider is in Sammen.

The provider says who the person is (one claim, SAMMEN_OIDC_CLAIM); Sammen decides what they
may do. The claim's value is looked up in one field of an existing user (`external_id`, set by
the administrator, or `username`); nobody is created here, and role, unit and section stay
what Sammen has. An unknown person and a switched-off account are refused with a message for
the login page.
"""

from django.utils.translation import gettext_lazy as _

from sammen.org.models import User

from .errors import SignInRefused

NOT_REGISTERED = _(
    "You are not registered as a user of Sammen. Ask the administrator of your service to give "
    "you access."
)
SWITCHED_OFF = _(
    "Your account in Sammen is switched off. Ask the administrator of your service if you still "
    "need access."
)

# The fields a claim may be matched against: both unique.
USER_FIELDS = {"external_id": "external_id", "username": "username__iexact"}


def find_staff(*, claims, config) -> User:
    value = claims.get(config.claim)
    if not isinstance(value, str) or not value.strip():
        raise SignInRefused(SignInRefused.missing_claim(config.claim), reason="missing claim")
    lookup = USER_FIELDS[config.user_field]
    users = list(User.objects.filter(**{lookup: value.strip()})[:2])
    if len(users) != 1:
        # None, or (usernames differing only in case) more than one: nobody is guessed at.
        raise SignInRefused(NOT_REGISTERED, reason=f"{len(users)} users match")
    user = users[0]
    if not user.is_active:
        raise SignInRefused(SWITCHED_OFF, reason=f"user {user.pk} is switched off", user=user)
    return user
