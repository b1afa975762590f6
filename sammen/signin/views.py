"""Sign-in through an identity provider (OpenID Connect, authorization code with PKCE) and
sign-out that ends the provider's session too (RP-initiated logout).

`begin` sends the browser to the provider; `callback` takes the code back, has Authlib
exchange it (with the PKCE verifier) and check the ID token, finds the Sammen user through the
provider's `find_user`, and signs them in. A refusal is shown on the login page in the
person's language; nothing is created.
"""

import logging

import requests
from authlib.integrations.base_client.errors import OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LogoutView
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from joserfc.errors import JoseError

from sammen.core.session_timeout import REAUTHENTICATE

from . import events, providers
from .errors import SignInRefused

logger = logging.getLogger("sammen.signin")

# Session keys. The ID token is kept for the provider's sign-out (`id_token_hint`).
PROVIDER_KEY = "signin_provider"
ID_TOKEN_KEY = "signin_id_token"
NEXT_KEY = "signin_next"

PROTOCOL_ERRORS = (OAuthError, JoseError, requests.RequestException, ValueError, KeyError)


def failed_message():
    return _(
        "Sign-in through the identity provider did not succeed. Try again; if it keeps failing, "
        "contact your IT department."
    )


def _config_or_404(name):
    config = providers.get(name)
    if config is None:
        raise Http404("no such identity provider")
    return config


def _refuse(request, message):
    messages.error(request, message)
    return redirect(settings.LOGIN_URL)


def begin(request, provider):
    """Send the browser to the provider's sign-in, with state, nonce and a PKCE challenge."""
    config = _config_or_404(provider)
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT_KEY] = next_url
    else:
        request.session.pop(NEXT_KEY, None)
    params = {"ui_locales": get_language() or settings.LANGUAGE_CODE}
    if request.session.get(REAUTHENTICATE):
        # Signed out for inactivity: the provider must not sign the person in again unasked.
        params["prompt"] = "login"
        params["max_age"] = 0
    if config.acr_values:
        params["acr_values"] = config.acr_values
    redirect_uri = request.build_absolute_uri(reverse(f"signin:{provider}_callback"))
    try:
        return providers.client_for(config).authorize_redirect(request, redirect_uri, **params)
    except PROTOCOL_ERRORS as error:
        logger.warning("identity provider %s did not answer: %r", provider, error)
        return _refuse(
            request, _("The identity provider did not answer. Try again in a little while.")
        )


def _exchange(request, config, client):
    """The provider's answer checked and turned into claims (ID token, else userinfo)."""
    issuer = client.load_server_metadata().get("issuer")
    answered_by = request.GET.get("iss")
    if answered_by is not None and answered_by != issuer:
        # RFC 9207: the answer names its issuer; another provider's answer is a mix-up attack.
        raise OAuthError(error="issuer_mismatch", description=f"iss {answered_by!r}")
    token = client.authorize_access_token(request)
    if "id_token" not in token or "userinfo" not in token:
        raise OAuthError(error="no_id_token", description="the provider sent no ID token")
    claims = dict(token["userinfo"])
    if config.claim not in claims and client.load_server_metadata().get("userinfo_endpoint"):
        # Some providers put profile claims in userinfo only; the subject must be the same.
        userinfo = client.userinfo(token=token)
        if userinfo.get("sub") != claims.get("sub"):
            raise OAuthError(error="sub_mismatch", description="userinfo is someone else's")
        claims = {**userinfo, **claims}
    return token, claims


def callback(request, provider):
    config = _config_or_404(provider)
    client = providers.client_for(config)
    next_url = request.session.pop(NEXT_KEY, "")
    try:
        token, claims = _exchange(request, config, client)
    except PROTOCOL_ERRORS as error:
        events.refused(provider=provider, reason=f"protocol: {error!r}")
        return _refuse(request, failed_message())

    try:
        if config.required_acr and claims.get("acr") not in config.required_acr:
            raise SignInRefused(
                _(
                    "The sign-in did not have the required level of security (%(required)s). "
                    "Sign in again with a stronger method."
                )
                % {"required": ", ".join(config.required_acr)},
                reason=f"acr {claims.get('acr')!r} is not one of {config.required_acr}",
            )
        user = import_string(config.find_user)(claims=claims, config=config)
    except SignInRefused as refusal:
        events.refused(provider=provider, reason=refusal.reason, user=refusal.user)
        return _refuse(request, refusal.message)

    request.signin_provider = provider
    login(request, user, backend=events.BACKEND)
    request.session.pop(REAUTHENTICATE, None)
    request.session[PROVIDER_KEY] = provider
    request.session[ID_TOKEN_KEY] = token["id_token"]
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))


class SignOutView(LogoutView):
    """Sign out of Sammen; a person who came through an identity provider is then sent to its
    end_session_endpoint (id_token_hint, post_logout_redirect_uri: the login page) to end the
    provider's session too."""

    def post(self, request, *args, **kwargs):
        provider = request.session.get(PROVIDER_KEY)
        id_token = request.session.get(ID_TOKEN_KEY)
        response = super().post(request, *args, **kwargs)
        config = providers.get(provider) if provider else None
        if config is None or not id_token:
            return response
        try:
            end_session = providers.client_for(config).create_logout_url(
                post_logout_redirect_uri=request.build_absolute_uri(
                    resolve_url(settings.LOGIN_URL)
                ),
                id_token_hint=id_token,
                client_id=config.client_id,
                ui_locales=get_language() or settings.LANGUAGE_CODE,
            )
        except (RuntimeError, *PROTOCOL_ERRORS) as error:
            # No end_session_endpoint, or the provider is away: Sammen's session is gone anyway.
            logger.warning("no sign-out at identity provider %s: %r", provider, error)
            return response
        return redirect(end_session["url"])
