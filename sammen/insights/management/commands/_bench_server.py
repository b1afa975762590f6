"""The real WSGI server for the load phase of `manage.py bench`: gunicorn on 127.0.0.1.

gunicorn runs as a subprocess with debug off, a throwaway secret key and the database the
command is measuring (given as DATABASE_URL, as settings.py reads it). The server is always
stopped when the block ends, whatever happens inside it.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import CommandError

from ._bench_http import LOOPBACK, Browser

START_SECONDS = 60


def database_url(settings_dict):
    """DATABASE_URL for another process to open the same database as `settings_dict`."""
    engine, name = settings_dict["ENGINE"], str(settings_dict["NAME"] or "")
    if engine.endswith("sqlite3"):
        if not name or name == ":memory:" or "mode=memory" in name:
            raise CommandError("The load phase needs a database file; this SQLite is in memory.")
        return f"sqlite:///{Path(name).resolve()}"
    if engine.endswith("postgresql"):
        user = quote(settings_dict.get("USER") or "", safe="")
        password = quote(settings_dict.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if user else ""
        host = quote(settings_dict.get("HOST") or "", safe="")
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}"
    raise CommandError(f"The load phase does not know the database engine {engine}.")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def gunicorn_command():
    beside_python = Path(sys.executable).with_name("gunicorn")
    found = str(beside_python) if beside_python.exists() else shutil.which("gunicorn")
    if not found:
        raise CommandError("gunicorn is not installed (pip install -e .).")
    return found


class Server:
    def __init__(self, process, port, workers, log):
        self.process, self.port, self.workers, self.log = process, port, workers, log

    def log_tail(self, chars=3000):
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-chars:]

    def wait_until_answering(self, path):
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError("gunicorn stopped while starting:\n" + self.log_tail())
            try:
                if Browser(self.port, timeout=10).get(path).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer within {START_SECONDS} s:\n" + self.log_tail())


@contextmanager
def gunicorn(settings_dict, workers, ready_path):
    """A gunicorn serving sammen.wsgi on 127.0.0.1:<free port>, stopped when the block ends."""
    port = free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="sammen.settings",
        DATABASE_URL=database_url(settings_dict),
        SAMMEN_DEBUG="false",
        SAMMEN_SECRET_KEY=secrets.token_urlsafe(50),
        SAMMEN_ALLOWED_HOSTS=LOOPBACK,
    )
    command = [
        gunicorn_command(),
        "sammen.wsgi:application",
        "--bind",
        f"{LOOPBACK}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(  # noqa: S603 # nosec B603 # our own gunicorn, fixed arguments
            command,
            cwd=settings.PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        server = Server(process, port, workers, log)
        try:
            server.wait_until_answering(ready_path)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
