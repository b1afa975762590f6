"""A real OpenID Connect provider on loopback for the sign-in tests (tests/oidc/provider.mjs,
npm `oidc-provider`), and a way through the sign-in as a browser goes.

The provider is a Node process started once per test run when a test asks for it, on a port
the system picks on 127.0.0.1, and always stopped (terminated, then killed; it also stops by
itself when its standard input closes). Sammen's side is the Django test client; the
provider's side is plain HTTP with `requests`. Nothing of the OpenID Connect client is mocked:
Sammen fetches the discovery document, exchanges the code (with the PKCE verifier), checks the
ID token against the provider's keys and reads userinfo over real HTTP.
"""

import json
import os
import selectors
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

SCRIPT = Path(__file__).with_name("provider.mjs")
SAMMEN = "http://testserver"
CALLBACK = f"{SAMMEN}/logg-inn/kommune/tilbake/"
AFTER_SIGN_OUT = f"{SAMMEN}/logg-inn/"
CLIENT_ID = "sammen-tests"
CLIENT_SECRET = "tests-only-client-secret-not-a-secret"

# People at the municipality's identity provider (login name → claims). Entra ID sends `oid`.
ACCOUNTS = {
    "kari.nordmann": {
        "oid": "3f2c9a10-0000-4000-8000-00000000kari",
        "name": "Kari Testesen",
        "preferred_username": "Kari",
        "email": "kari@nordvik.kommune.example",
    },
    "ola.nordmann": {
        "oid": "3f2c9a10-0000-4000-8000-000000000ola",
        "name": "Ola Testesen",
        "preferred_username": "ola",
    },
    "ukjent.person": {
        "oid": "3f2c9a10-0000-4000-8000-0000000ukjent",
        "name": "Ukjent Person",
        "preferred_username": "ukjent",
    },
}


@pytest.fixture(scope="session")
def oidc_provider():
    """The issuer URL of a running provider (http://127.0.0.1:PORT)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for the OpenID Connect tests (`make test` installs npm)")
    config = {
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [CALLBACK],
                "post_logout_redirect_uris": [AFTER_SIGN_OUT],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
            }
        ],
        "accounts": ACCOUNTS,
    }
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [node, str(SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            env={**os.environ, "OIDC_TEST_CONFIG": json.dumps(config)},
        )
        try:
            with selectors.DefaultSelector() as waiting:
                waiting.register(process.stdout, selectors.EVENT_READ)
                ready = waiting.select(timeout=30)
            line = process.stdout.readline() if ready else b""
            if not line:
                log.seek(0)
                pytest.fail(
                    f"the OpenID Connect provider did not start: {log.read().decode()[-2000:]}"
                )
            yield json.loads(line)["issuer"]
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdin.close()
            process.stdout.close()


def provider_settings(issuer, **overrides):
    options = {
        "discovery_url": f"{issuer}/.well-known/openid-configuration",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scopes": "openid profile email",
        "claim": "oid",
        "user_field": "external_id",
        "acr_values": "",
        "find_user": "sammen.signin.staff.find_staff",
    }
    return {"staff": {**options, **overrides}}


@pytest.fixture
def staff_provider(settings, oidc_provider):
    """The provider configured as the staff's identity provider, as settings.py does from
    SAMMEN_OIDC_* (claim `oid`, matched against User.external_id)."""
    settings.SIGNIN_PROVIDERS = provider_settings(oidc_provider)
    return oidc_provider


# --- Going through the sign-in as a browser would ---------------------------------------


class _Forms(HTMLParser):
    """The first form's action and the page's named inputs (hidden ones with their values)."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action", "")
        if tag == "input" and attrs.get("name") and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs.get("value", "")


@dataclass
class Page:
    url: str
    status: int
    text: str

    def form(self):
        forms = _Forms()
        forms.feed(self.text)
        assert forms.action is not None, f"no form on {self.url}"
        return urljoin(self.url, forms.action), forms.fields


@dataclass
class Journey:
    """A browser going between Sammen (the Django test client) and the provider (HTTP)."""

    client: object
    issuer: str
    http: requests.Session = field(default_factory=requests.Session)
    visited: list = field(default_factory=list)

    def go(self, url, *, data=None):
        method = "POST" if data is not None else "GET"
        while True:
            url = urljoin(f"{SAMMEN}/", url)
            self.visited.append((method, url))
            if url.startswith(self.issuer):
                response = self.http.request(
                    method, url, data=data, allow_redirects=False, timeout=15
                )
                status, location, text = (
                    response.status_code,
                    response.headers.get("Location"),
                    response.text,
                )
            else:
                parts = urlsplit(url)
                assert parts.netloc == "testserver", f"went somewhere else: {url}"
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                response = (
                    self.client.post(path, data) if method == "POST" else self.client.get(path)
                )
                status, location = response.status_code, response.get("Location")
                text = response.content.decode()
            if status in (301, 302, 303, 307, 308):
                url, method, data = urljoin(url, location), "GET", None
                continue
            return Page(url, status, text)

    def sign_in_at_provider(self, page, login):
        """Fill the provider's login form (its development form takes any password)."""
        assert page.url.startswith(self.issuer) and 'name="login"' in page.text, page.url
        action, fields = page.form()
        return self.go(action, data={**fields, "login": login, "password": "whatever"})

    def sign_in(self, login, *, start="/logg-inn/kommune/"):
        return self.sign_in_at_provider(self.go(start), login)

    def went_to(self, prefix):
        return [url for _method, url in self.visited if url.startswith(prefix)]


@pytest.fixture
def journey(client, staff_provider):
    with requests.Session() as http:
        yield Journey(client=client, issuer=staff_provider, http=http)
