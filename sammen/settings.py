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


# Off unless asked for: the debug pages show settings and the URL list (`make run` asks).
DEBUG = env_bool("SAMMEN_DEBUG", False)
SECRET_KEY = os.environ.get("SAMMEN_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SAMMEN_SECRET_KEY is required when SAMMEN_DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = os.environ.get("SAMMEN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

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
STATIC_ROOT = PROJECT_DIR / "staticfiles"
# Designsystemet and htmx come from npm (see package.json); `make` installs them.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor", PROJECT_DIR / "node_modules"),
]

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SAMMEN_LOG_LEVEL", "WARNING")},
}
FORM_RENDERER = "sammen.core.forms.DesignsystemetRenderer"
