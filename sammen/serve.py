"""The production server: `python -m sammen.serve`.

`make serve`, the container (Dockerfile) and tests/ops/test_serve.py all run this one command, so
they cannot drift apart. It

1. refuses to run with debug on (SAMMEN_DEBUG);
2. applies the migrations (`manage.py migrate`);
3. collects the static files into STATIC_ROOT (`manage.py collectstatic`: hashed names,
   compressed copies; WhiteNoise serves them);
4. replaces itself with gunicorn serving `sammen.wsgi` on SAMMEN_BIND with SAMMEN_WORKERS
   workers.

Settings (docs/OPERATIONS.md): SAMMEN_BIND (default 127.0.0.1:8000), SAMMEN_WORKERS (default two
per CPU plus one, at most 8), SAMMEN_LOG_LEVEL, and everything sammen/settings.py reads.
"""

import os
import re
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_BIND = "127.0.0.1:8000"  # the proxy in front on the same host; containers set 0.0.0.0
MAX_DEFAULT_WORKERS = 8  # each worker holds a database connection; PostgreSQL allows ~100


class ServeError(Exception):
    """A setting `serve` cannot run with; the message says which and why."""


def workers(environ) -> int:
    raw = environ.get("SAMMEN_WORKERS", "").strip()
    if not raw:
        return min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS)
    if not raw.isdigit() or int(raw) < 1:
        raise ServeError(f"SAMMEN_WORKERS must be a whole number of at least 1, got {raw!r}")
    return int(raw)


def bind(environ) -> str:
    value = environ.get("SAMMEN_BIND", "").strip() or DEFAULT_BIND
    if not re.fullmatch(r"(unix:.+|\[?[0-9A-Za-z.:-]*\]?:\d{1,5})", value):
        raise ServeError(f"SAMMEN_BIND must be host:port or unix:/path, got {value!r}")
    return value


def gunicorn_argv(environ) -> list[str]:
    """gunicorn's command line, with the Python that runs this module."""
    log_level = environ.get("SAMMEN_LOG_LEVEL", "WARNING").strip().lower() or "warning"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "sammen.wsgi:application",
        "--bind",
        bind(environ),
        "--workers",
        str(workers(environ)),
        # A PDF or an export may take a while; a stuck worker is replaced after a minute.
        "--timeout",
        "60",
        "--graceful-timeout",
        "20",
        "--log-level",
        log_level,
        # The error log on stderr; no access log (the proxy keeps one, the audit log the rest).
        "--error-logfile",
        "-",
    ]


def main() -> None:
    environ = os.environ
    environ.setdefault("DJANGO_SETTINGS_MODULE", "sammen.settings")
    os.chdir(PROJECT_DIR)
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    try:
        argv = gunicorn_argv(environ)  # bad values fail before anything is changed
    except ServeError as error:
        sys.exit(f"serve: {error}")

    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    if settings.DEBUG:
        sys.exit(
            "serve: SAMMEN_DEBUG is on. `make serve` is the production server and runs with "
            "debug off; `make run` is the demo with debug on."
        )
    call_command("migrate", interactive=False, verbosity=1)
    call_command("collectstatic", interactive=False, verbosity=1)
    sys.stdout.flush()
    sys.stderr.flush()
    # Close what Django opened before gunicorn takes over this process.
    from django.db import connections

    connections.close_all()
    os.execv(sys.executable, argv)  # noqa: S606 # nosec B606 # our own gunicorn, fixed arguments


if __name__ == "__main__":
    main()
