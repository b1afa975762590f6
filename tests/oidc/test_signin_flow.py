"""Sign-in through the municipality's identity provider: the whole authorization-code flow with
PKCE against a real OpenID Connect provider on loopback (tests/oidc/conftest.py)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from sammen.org.models import Role, User
from tests import factories as f

from .conftest import ACCOUNTS, AFTER_SIGN_OUT, provider_settings

pytestmark = pytest.mark.django_db

NOT_REGISTERED = "Du er ikke registrert som bruker av Sammen."
SWITCHED_OFF = "Kontoen din i Sammen er slått av."


def signed_in_user(client):
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


def query_of(url):
    return parse_qs(urlsplit(url).query)


@pytest.fixture
def kari(people):
    user = people["kari"]
    user.external_id = ACCOUNTS["kari.nordmann"]["oid"]
    user.save()
    return user


def test_a_member_of_staff_signs_in_as_the_user_their_claim_names(journey, kari):
    users_before = User.objects.count()
    wanted = reverse("cases:list")
    page = journey.sign_in("kari.nordmann", start=f"/logg-inn/kommune/?next={wanted}")

    assert signed_in_user(journey.client) == kari
    # Role and unit are Sammen's: nothing was changed or created from the provider's claims.
    kari.refresh_from_db()
    assert (kari.role, kari.unit.name, kari.first_name) == (
        Role.CASEWORKER,
        "Bydel Nordvik",
        "Kari",
    )
    assert User.objects.count() == users_before
    # Landed where the login page was asked to go on to.
    assert page.status == 200
    assert urlsplit(page.url).path == wanted
    # Authorization-code flow with a PKCE challenge (the provider refuses any other).
    [authorize] = journey.went_to(f"{journey.issuer}/auth?")
    params = query_of(authorize)
    assert params["response_type"] == ["code"]
    assert params["code_challenge_method"] == ["S256"]
    assert len(params["code_challenge"][0]) >= 43
    assert {"state", "nonce"} <= params.keys()
    assert journey.client.session["signin_provider"] == "staff"


def test_an_unknown_person_is_refused_with_a_norwegian_message(journey, kari):
    users_before = User.objects.count()
    page = journey.sign_in("ukjent.person")

    assert signed_in_user(journey.client) is None
    assert User.objects.count() == users_before  # nobody is created
    assert urlsplit(page.url).path == reverse("login")
    assert NOT_REGISTERED in page.text


def test_a_switched_off_user_is_refused(journey, people):
    ola = people["ola"]
    ola.external_id = ACCOUNTS["ola.nordmann"]["oid"]
    ola.is_active = False
    ola.save()

    page = journey.sign_in("ola.nordmann")

    assert signed_in_user(journey.client) is None
    assert SWITCHED_OFF in page.text


def test_the_claim_and_the_field_it_is_matched_against_are_configurable(journey, people, settings):
    """SAMMEN_OIDC_CLAIM=preferred_username, SAMMEN_OIDC_USER_FIELD=username: the provider's
    "Kari" is the user "kari" (usernames compared without case)."""
    settings.SIGNIN_PROVIDERS = provider_settings(
        journey.issuer, claim="preferred_username", user_field="username"
    )
    journey.sign_in("kari.nordmann")

    assert signed_in_user(journey.client) == people["kari"]


def test_signing_out_ends_the_provider_session_too(journey, kari):
    journey.sign_in("kari.nordmann")
    assert signed_in_user(journey.client) == kari
    id_token = journey.client.session["signin_id_token"]

    page = journey.go(reverse("logout"), data={})
    # The provider asks whether to sign out; the person says yes.
    assert page.url.startswith(f"{journey.issuer}/session/end")
    action, fields = page.form()
    page = journey.go(action, data={**fields, "logout": "yes"})

    [end_session] = journey.went_to(f"{journey.issuer}/session/end?")
    params = query_of(end_session)
    assert params["id_token_hint"] == [id_token]
    assert params["post_logout_redirect_uri"] == [AFTER_SIGN_OUT]
    # Back on Sammen's login page, signed out of Sammen ...
    assert urlsplit(page.url).path == reverse("login") and page.status == 200
    assert signed_in_user(journey.client) is None
    home = journey.client.get(reverse("cases:home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("login"))
    # ... and of the provider: signing in again asks for the login at the provider.
    page = journey.go("/logg-inn/kommune/")
    assert page.url.startswith(journey.issuer) and 'name="login"' in page.text


def test_without_a_session_at_the_provider_a_password_sign_out_stays_in_sammen(client, kari):
    client.force_login(kari)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_an_answer_that_does_not_belong_to_this_sign_in_is_refused(journey, kari):
    journey.go("/logg-inn/kommune/")  # a sign-in begun, with its state in the session
    page = journey.go("/logg-inn/kommune/tilbake/?code=stolen&state=not-ours")

    assert signed_in_user(journey.client) is None
    assert "Innloggingen gjennom identitetsleverandøren lyktes ikke." in page.text


def test_a_required_level_of_assurance_is_asked_for_and_checked(journey, kari, settings):
    """How ID-porten will ask for "high": acr_values on the way out, the ID token's acr checked
    on the way back. The test provider signs in without saying a level, so it is refused."""
    settings.SIGNIN_PROVIDERS = provider_settings(journey.issuer, acr_values="test-loa-high")
    page = journey.sign_in("kari.nordmann")

    [authorize] = journey.went_to(f"{journey.issuer}/auth?")
    assert query_of(authorize)["acr_values"] == ["test-loa-high"]
    assert signed_in_user(journey.client) is None
    assert "Innloggingen hadde ikke det sikkerhetsnivået som kreves (test-loa-high)." in page.text


def test_with_local_passwords_off_the_login_page_offers_only_the_provider(
    client, kari, settings, staff_provider
):
    settings.SIGNIN_LOCAL_PASSWORDS = False
    # As settings.py makes them with SAMMEN_LOCAL_PASSWORDS=false: no ModelBackend.
    settings.AUTHENTICATION_BACKENDS = [
        backend
        for backend in settings.AUTHENTICATION_BACKENDS
        if backend != "django.contrib.auth.backends.ModelBackend"
    ]

    page = client.get(reverse("login")).content.decode()
    assert 'href="/logg-inn/kommune/"' in page
    assert "Logg inn med kommunekontoen din" in page
    assert 'name="password"' not in page
    # A password posted anyway signs nobody in.
    client.post(reverse("login"), {"username": "kari", "password": f.PASSWORD})
    assert signed_in_user(client) is None


def test_after_a_sign_out_for_inactivity_the_provider_asks_for_the_login_again(journey, kari):
    import time

    from sammen.core.session_timeout import LAST_SEEN_AT

    journey.sign_in("kari.nordmann")
    assert signed_in_user(journey.client) == kari
    session = journey.client.session
    session[LAST_SEEN_AT] = time.time() - 31 * 60
    session.save()
    home = journey.client.get(reverse("cases:home"))
    assert home.status_code == 302 and signed_in_user(journey.client) is None
    # The provider's own session is still alive, but it must not sign her in unasked.
    page = journey.go("/logg-inn/kommune/")
    assert page.url.startswith(journey.issuer) and 'name="login"' in page.text
    [authorize] = journey.went_to(f"{journey.issuer}/auth?")[-1:]
    assert query_of(authorize)["prompt"] == ["login"]
    page = journey.sign_in_at_provider(page, "kari.nordmann")
    assert signed_in_user(journey.client) == kari
    assert "sammen_reauthenticate" not in journey.client.session
