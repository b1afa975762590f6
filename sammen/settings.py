"""Django settings for Sammen.

Everything that differs between machines comes from the environment; helpers fail loudly on
values they cannot read, so a typo never silently falls back to a default.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list; blanks around the commas are ignored, empty items dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: the debug pages show settings and the URL list (`make run` asks).
DEBUG = env_bool("SAMMEN_DEBUG", False)
# `manage.py load_demo` creates users with a published password: only where debug is on (the
# demo, `make run`), unless SAMMEN_DEMO says otherwise (a training installation).
DEMO_ALLOWED = env_bool("SAMMEN_DEMO", DEBUG)
SECRET_KEY = os.environ.get("SAMMEN_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SAMMEN_SECRET_KEY is required when SAMMEN_DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("SAMMEN_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "sammen.core",
    "sammen.org",
    "sammen.audit",
    "sammen.access",
    "sammen.cases",
    "sammen.followup",
    "sammen.visits",
    "sammen.timelog",
    "sammen.insights",
    "sammen.demo",
    "sammen.signin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT (after `collectstatic`), before anything reads a session.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sammen.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sammen.core.middleware.RequestSizeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sammen.core.middleware.NoStoreMiddleware",
    "sammen.audit.middleware.DeferredAuditMiddleware",
]

ROOT_URLCONF = "sammen.urls"
WSGI_APPLICATION = "sammen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sammen.core.context_processors.navigation",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL (e.g. postgres://user:pw@127.0.0.1/sammen)
# switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}",
        conn_max_age=60,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Every request writes (each read of case data writes an audit row), so a request takes the
    # write lock when its transaction begins (IMMEDIATE) instead of failing to upgrade a read
    # lock later; requests queue for up to `timeout` seconds. WAL makes each commit one append
    # to the log instead of rewriting pages; synchronous stays FULL (SQLite's default), so a
    # commit the user was told about, and its audit row, survive a power cut.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )

# No page keeps personal data here (docs/ARCHITECTURE.md, "Why no page cache"). Anything cached
# must hold no personal data about children or parents.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:home"
LOGOUT_REDIRECT_URL = "login"

# AUTH_PASSWORD_VALIDATORS: in the hardening block at the end.

SESSION_COOKIE_AGE = 60 * 60 * env_int("SAMMEN_SESSION_HOURS", 8, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Cookies only over HTTPS unless debug is on (the demo on http://127.0.0.1); a trial of
# `make serve` over plain HTTP on one's own machine sets SAMMEN_SECURE_COOKIES=false.
SESSION_COOKIE_SECURE = env_bool("SAMMEN_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "nb"
# Each language named in itself, as a language chooser shows them.
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True
# Numbers: decimal comma and thousands grouped with U+202F in bokmål and nynorsk (sammen/formats).
# Grouping is asked for where a number is shown (`number_tags.number`), not switched on for every
# integer a template prints (USE_THOUSAND_SEPARATOR), which would also group ids in links.
FORMAT_MODULE_PATH = ["sammen.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("SAMMEN_STATIC_ROOT") or PROJECT_DIR / "staticfiles")
# Designsystemet and htmx come from npm (see package.json); `make` installs them. Only those two
# packages are static files: node_modules also holds development tools (package.json).
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/@digdir/designsystemet-css", PROJECT_DIR / "node_modules/@digdir/designsystemet-css"),
    ("vendor/htmx.org", PROJECT_DIR / "node_modules/htmx.org"),
]
# `collectstatic` writes each file under a name with its content's hash, gzipped beside it
# (sammen/core/staticfiles.py); WhiteNoise serves them with a year's caching. With debug on
# (`make run`) templates name the plain files and runserver serves them from the finders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "sammen.core.staticfiles.StaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("SAMMEN_LOG_LEVEL", "WARNING").upper(),
    },
}
FORM_RENDERER = "sammen.core.forms.DesignsystemetRenderer"

# --- Deployment behind a TLS-terminating proxy (docs/OPERATIONS.md has the table) -------------
# Every value comes from the environment; the defaults suit a developer's machine over plain
# HTTP, the production values are in the table. `manage.py check --deploy` with them gives no
# warning (tests/ops/test_deploy_check.py).

# The origins a form may be posted from, with scheme: "https://sammen.kommune.no".
CSRF_TRUSTED_ORIGINS = env_list("SAMMEN_CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if "://" not in _origin:
        raise ImproperlyConfigured(
            f"SAMMEN_CSRF_TRUSTED_ORIGINS: {_origin!r} needs its scheme, e.g. https://{_origin}"
        )

# The header the proxy sets to tell that the browser came over HTTPS (its value must then be
# "https"). Only for a proxy that always sets or overwrites it: a client could otherwise send it.
_proxy_ssl_header = os.environ.get("SAMMEN_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    if not _proxy_ssl_header.replace("-", "").isalnum():
        raise ImproperlyConfigured(
            f"SAMMEN_PROXY_SSL_HEADER must be a header name like X-Forwarded-Proto, "
            f"got {_proxy_ssl_header!r}"
        )
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_ssl_header.upper().replace("-", "_"),
        "https",
    )

SECURE_SSL_REDIRECT = env_bool("SAMMEN_SSL_REDIRECT", False)
# The load balancer asks the application itself, often over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^helse/$"]
SECURE_HSTS_SECONDS = env_int("SAMMEN_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SAMMEN_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SAMMEN_HSTS_PRELOAD", False)

# E-mail: SMTP from the environment. Without SAMMEN_EMAIL_HOST and with debug on (the demo),
# mail is written to the console instead of being sent.
EMAIL_HOST = os.environ.get("SAMMEN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SAMMEN_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("SAMMEN_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SAMMEN_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SAMMEN_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("SAMMEN_EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "SAMMEN_EMAIL_USE_TLS (STARTTLS) and SAMMEN_EMAIL_USE_SSL (implicit TLS) exclude each other"
    )
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("SAMMEN_DEFAULT_FROM_EMAIL", "Sammen <sammen@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if DEBUG and "SAMMEN_EMAIL_HOST" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# --- end of deployment ----------------------------------------------------------------------

# --- Sign-in: the municipality's identity provider (OpenID Connect) and local passwords ------
# sammen/signin; docs/OPERATIONS.md has the variables. The provider is configured when
# SAMMEN_OIDC_DISCOVERY_URL is set: its client id is then required, and the redirect URI to
# register there is https://<host>/logg-inn/kommune/tilbake/ (sign-out returns to
# https://<host>/logg-inn/). A second provider (ID-porten for parents) is one more entry here.
SIGNIN_LOCAL_PASSWORDS = env_bool("SAMMEN_LOCAL_PASSWORDS", True)
SIGNIN_PROVIDERS = {}
_oidc_discovery_url = os.environ.get("SAMMEN_OIDC_DISCOVERY_URL", "").strip()
if _oidc_discovery_url:
    from urllib.parse import urlsplit

    _oidc_url = urlsplit(_oidc_discovery_url)
    if not (
        _oidc_url.scheme == "https"
        or (_oidc_url.scheme == "http" and _oidc_url.hostname in {"127.0.0.1", "localhost", "::1"})
    ):
        raise ImproperlyConfigured(
            "SAMMEN_OIDC_DISCOVERY_URL must be an https:// address (plain http only on loopback), "
            f"got {_oidc_discovery_url!r}"
        )
    _oidc_client_id = os.environ.get("SAMMEN_OIDC_CLIENT_ID", "").strip()
    if not _oidc_client_id:
        raise ImproperlyConfigured(
            "SAMMEN_OIDC_CLIENT_ID is required with SAMMEN_OIDC_DISCOVERY_URL"
        )
    _oidc_scopes = os.environ.get("SAMMEN_OIDC_SCOPES", "openid profile email").split()
    if "openid" not in _oidc_scopes:
        raise ImproperlyConfigured(f"SAMMEN_OIDC_SCOPES must include openid, got {_oidc_scopes}")
    _oidc_claim = os.environ.get("SAMMEN_OIDC_CLAIM", "sub").strip()
    if not _oidc_claim or not _oidc_claim.replace("_", "").replace(":", "").isalnum():
        raise ImproperlyConfigured(f"SAMMEN_OIDC_CLAIM must be a claim name, got {_oidc_claim!r}")
    _oidc_user_field = os.environ.get("SAMMEN_OIDC_USER_FIELD", "external_id").strip()
    if _oidc_user_field not in {"external_id", "username"}:
        raise ImproperlyConfigured(
            f"SAMMEN_OIDC_USER_FIELD must be external_id or username, got {_oidc_user_field!r}"
        )
    SIGNIN_PROVIDERS["staff"] = {
        "discovery_url": _oidc_discovery_url,
        "client_id": _oidc_client_id,
        "client_secret": os.environ.get("SAMMEN_OIDC_CLIENT_SECRET", ""),
        "scopes": " ".join(_oidc_scopes),
        "claim": _oidc_claim,
        "user_field": _oidc_user_field,
        "acr_values": os.environ.get("SAMMEN_OIDC_ACR_VALUES", "").strip(),
        "find_user": "sammen.signin.staff.find_staff",
    }
if not SIGNIN_LOCAL_PASSWORDS and not SIGNIN_PROVIDERS:
    raise ImproperlyConfigured(
        "SAMMEN_LOCAL_PASSWORDS=false needs an identity provider (SAMMEN_OIDC_DISCOVERY_URL): "
        "nobody could sign in"
    )
# Password sign-in is ModelBackend; without it a password session no longer counts either.
AUTHENTICATION_BACKENDS = [
    *(["django.contrib.auth.backends.ModelBackend"] if SIGNIN_LOCAL_PASSWORDS else []),
    "sammen.signin.backends.ProviderBackend",
]
# Sign-ins, sign-outs and refusals are logged (logger sammen.signin) whatever SAMMEN_LOG_LEVEL.
LOGGING.setdefault("loggers", {})["sammen.signin"] = {"level": "INFO"}
# --- end of sign-in -------------------------------------------------------------------------

# --- Hardening (issue 12): sign-in throttling, Content Security Policy, signing out after -----
# inactivity, password rules. tests/security/ checks each; docs/OPERATIONS.md has the variables.
from datetime import timedelta  # noqa: E402
from urllib.parse import urlsplit as _urlsplit  # noqa: E402

from csp.constants import NONE, SELF  # noqa: E402

INSTALLED_APPS += ["axes", "csp"]

# Sign-in throttling (django-axes, sammen/core/throttle.py): after SAMMEN_LOGIN_FAILURE_LIMIT
# failed attempts for one user name from one address, that user name is refused from that
# address, even with the right password, until SAMMEN_LOGIN_COOLOFF_MINUTES have passed; the
# sign-in page says so in Norwegian (status 429). Axes' backend goes first, so it refuses before
# any backend checks a password; it needs `request` in authenticate() (the test client's login()
# gets `request=HttpRequest()`, as axes documents).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
AXES_FAILURE_LIMIT = env_int("SAMMEN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SAMMEN_LOGIN_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sammen.core.throttle.lockout_response"
# Behind reverse proxies the connection comes from the nearest proxy: SAMMEN_PROXY_COUNT says how
# many append to X-Forwarded-For, and the client's address is read from there (throttle.client_ip).
SAMMEN_PROXY_COUNT = env_int("SAMMEN_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "sammen.core.throttle.client_ip"
# Axes keeps the failed attempts it needs for the lock-out, and no log of successful sign-ins.
AXES_DISABLE_ACCESS_LOG = True

# Content Security Policy (django-csp): everything from this site only; no inline script, no
# inline style, no eval (base.html tells htmx so), no framing, forms post only here.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Designsystemet's icons are data: SVGs in its style sheet.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        # Chrome applies form-action to the redirect after a post too: signing out of the
        # identity provider (sammen.signin) is a post redirected to the provider.
        "form-action": [
            SELF,
            *sorted(
                {
                    "{0.scheme}://{0.netloc}".format(_urlsplit(p["discovery_url"]))
                    for p in SIGNIN_PROVIDERS.values()
                }
            ),
        ],
        "frame-ancestors": [NONE],
    }
}

# Signing out after inactivity (sammen/core/session_timeout.py): no request for
# SAMMEN_SESSION_IDLE_MINUTES ends the session, and so does SESSION_COOKIE_AGE
# (SAMMEN_SESSION_HOURS) after sign-in; static/sammen/session.js warns five minutes before.
SAMMEN_SESSION_IDLE_SECONDS = 60 * env_int("SAMMEN_SESSION_IDLE_MINUTES", 30, minimum=2)
SAMMEN_SESSION_MAX_SECONDS = SESSION_COOKIE_AGE
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "sammen.core.session_timeout.SessionTimeoutMiddleware",
)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("sammen.core.session_timeout.session_warning")
# Last, as axes asks: turns a lock-out found while signing in into the lock-out page.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")

# Password rules for local accounts (the admin's forms, `changepassword`): at least 12
# characters, not common, not only digits, not like the person's name or user name. The messages
# come in bokmål and nynorsk from Django's own catalogues (one of them from Sammen's).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Django's, with its message translated (Django 5.2's nb/nn catalogues lack it).
        "NAME": "sammen.core.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Headers: Django's defaults already send Referrer-Policy same-origin and
# Cross-Origin-Opener-Policy same-origin; written out so a change is a visible decision.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie (htmx and session.js take the token from the page).
CSRF_COOKIE_HTTPONLY = True
# --- end of hardening -----------------------------------------------------------------------
