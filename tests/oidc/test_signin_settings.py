"""The sign-in settings read from the environment (sammen/settings.py): wrong values stop the
start with a message, right ones give the provider configuration the views use."""

import os
import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS = Path(__file__).resolve().parents[2] / "sammen" / "settings.py"


def settings_with(monkeypatch, **env):
    monkeypatch.setenv("SAMMEN_SECRET_KEY", "tests-only-not-a-secret")
    for name in list(os.environ):
        if name.startswith(("SAMMEN_OIDC_", "SAMMEN_LOCAL_PASSWORDS")):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_by_default_passwords_only(monkeypatch):
    loaded = settings_with(monkeypatch)
    assert loaded["SIGNIN_PROVIDERS"] == {}
    assert loaded["SIGNIN_LOCAL_PASSWORDS"] is True
    assert loaded["AUTHENTICATION_BACKENDS"][-2:] == [
        "django.contrib.auth.backends.ModelBackend",
        "sammen.signin.backends.ProviderBackend",
    ]


def test_the_municipality_provider_from_the_environment(monkeypatch):
    loaded = settings_with(
        monkeypatch,
        SAMMEN_OIDC_DISCOVERY_URL="https://login.example/tenant/v2.0/.well-known/openid-configuration",
        SAMMEN_OIDC_CLIENT_ID="sammen",
        SAMMEN_OIDC_CLIENT_SECRET="secret",
        SAMMEN_OIDC_CLAIM="oid",
        SAMMEN_LOCAL_PASSWORDS="false",
    )
    staff = loaded["SIGNIN_PROVIDERS"]["staff"]
    assert staff["client_id"] == "sammen" and staff["claim"] == "oid"
    assert staff["scopes"] == "openid profile email"
    assert staff["user_field"] == "external_id"
    # Passwords off: ModelBackend is gone, so a password neither signs in nor keeps a session.
    assert "django.contrib.auth.backends.ModelBackend" not in loaded["AUTHENTICATION_BACKENDS"]
    assert "sammen.signin.backends.ProviderBackend" in loaded["AUTHENTICATION_BACKENDS"]


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"SAMMEN_LOCAL_PASSWORDS": "false"}, "nobody could sign in"),
        ({"SAMMEN_LOCAL_PASSWORDS": "maybe"}, "must be a boolean"),
        ({"SAMMEN_OIDC_DISCOVERY_URL": "https://login.example/x"}, "SAMMEN_OIDC_CLIENT_ID"),
        (
            {"SAMMEN_OIDC_DISCOVERY_URL": "http://login.example/x", "SAMMEN_OIDC_CLIENT_ID": "s"},
            "https://",
        ),
        (
            {
                "SAMMEN_OIDC_DISCOVERY_URL": "https://login.example/x",
                "SAMMEN_OIDC_CLIENT_ID": "s",
                "SAMMEN_OIDC_SCOPES": "profile email",
            },
            "openid",
        ),
        (
            {
                "SAMMEN_OIDC_DISCOVERY_URL": "https://login.example/x",
                "SAMMEN_OIDC_CLIENT_ID": "s",
                "SAMMEN_OIDC_USER_FIELD": "email",
            },
            "external_id or username",
        ),
    ],
)
def test_values_that_cannot_work_stop_the_start(monkeypatch, env, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        settings_with(monkeypatch, **env)
