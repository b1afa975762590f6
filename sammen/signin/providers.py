"""The identity providers Sammen signs people in through, and their OpenID Connect clients.

Each provider is one entry of `settings.SIGNIN_PROVIDERS` (read from the environment in
settings.py), keyed by a short name that also names its URLs (`signin:<name>_begin`,
`signin:<name>_callback`). Today there is one, `staff`: the municipality's own identity provider
(Entra ID and the like) for the staff. ID-porten for parents is meant to be a second entry with
its own client, `acr_values` ("idporten-loa-high") and its own `find_user`; the flow, the checks
and the sign-out are the same code.

The clients are Authlib's Django OAuth 2.0 clients: discovery, authorization-code flow with
PKCE (S256), `state` and `nonce` kept in the session, and the ID token's signature, issuer,
audience, expiry and nonce checked against the provider's published keys.
"""

from dataclasses import dataclass
from functools import lru_cache

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Seconds Sammen waits for the identity provider's discovery, token and key endpoints.
HTTP_TIMEOUT = 10

# The text of each provider's button on the login page.
LABELS = {"staff": _("Sign in with your municipal account")}


@dataclass(frozen=True)
class ProviderConfig:
    name: str
    discovery_url: str
    client_id: str
    client_secret: str = ""
    scopes: str = "openid profile email"
    # The claim that says who the person is, and how it finds them (a dotted path to a
    # function `find_user(*, claims, config)` returning the user or raising SignInRefused).
    claim: str = "sub"
    user_field: str = "external_id"
    find_user: str = "sammen.signin.staff.find_staff"
    # Level of assurance asked for (space-separated acr values, e.g. "idporten-loa-high");
    # when set, the ID token's `acr` must be one of them.
    acr_values: str = ""

    @property
    def label(self):
        return LABELS.get(self.name, LABELS["staff"])

    @property
    def required_acr(self) -> list[str]:
        return self.acr_values.split()


def configured() -> dict[str, ProviderConfig]:
    return {
        name: ProviderConfig(name=name, **options)
        for name, options in getattr(settings, "SIGNIN_PROVIDERS", {}).items()
    }


def get(name: str) -> ProviderConfig | None:
    return configured().get(name)


def client_for(config: ProviderConfig):
    """The OAuth client of `config` (made once per configuration: it keeps the discovery
    document and the provider's keys, and fetches the keys again when they are rotated)."""
    return _client(config)


@lru_cache(maxsize=8)
def _client(config: ProviderConfig):
    registry = OAuth()
    client_kwargs = {
        "scope": config.scopes,
        "code_challenge_method": "S256",
        "default_timeout": HTTP_TIMEOUT,
    }
    if not config.client_secret:
        # A public client: PKCE alone binds the code to this browser's sign-in.
        client_kwargs["token_endpoint_auth_method"] = "none"
    return registry.register(
        name=config.name,
        client_id=config.client_id,
        client_secret=config.client_secret or None,
        server_metadata_url=config.discovery_url,
        client_kwargs=client_kwargs,
    )
