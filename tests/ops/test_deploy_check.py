"""`manage.py check --deploy` with the production values docs/OPERATIONS.md documents: no
warnings. The values are read from the document's table, so the two cannot disagree."""

from .support import (
    clean_environment,
    documented_production_environment,
    manage,
    production_environment,
)


def test_the_table_documents_the_deployment_settings():
    documented = documented_production_environment()
    for name in (
        "SAMMEN_DEBUG",
        "SAMMEN_ALLOWED_HOSTS",
        "SAMMEN_CSRF_TRUSTED_ORIGINS",
        "SAMMEN_PROXY_SSL_HEADER",
        "SAMMEN_SSL_REDIRECT",
        "SAMMEN_HSTS_SECONDS",
        "SAMMEN_HSTS_INCLUDE_SUBDOMAINS",
        "SAMMEN_HSTS_PRELOAD",
        "SAMMEN_SECURE_COOKIES",
        "SAMMEN_SESSION_HOURS",
        "SAMMEN_EMAIL_HOST",
        "SAMMEN_EMAIL_PORT",
        "SAMMEN_WORKERS",
        "DATABASE_URL",
    ):
        assert name in documented, f"docs/OPERATIONS.md has no production value for {name}"
    assert documented["SAMMEN_DEBUG"] == "false"


def test_check_deploy_gives_no_warning_with_the_documented_production_values():
    done = manage(
        production_environment(), "check", "--deploy", "--fail-level", "WARNING", check=False
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output, output


def test_check_deploy_does_warn_without_them():
    """The check sees what it should: a developer's environment with debug off is not ready."""
    env = clean_environment(SAMMEN_SECRET_KEY="short-key")
    done = manage(env, "check", "--deploy", "--fail-level", "WARNING", check=False)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W009"):
        assert warning in output, output
