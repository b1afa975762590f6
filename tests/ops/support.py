"""What the operations tests share: the production environment as docs/OPERATIONS.md documents
it, subprocesses with that environment, and a small HTTP client that talks like a TLS-terminating
proxy (the browser's Host, X-Forwarded-Proto: https) to a server on 127.0.0.1."""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

PROJECT_ROOT = Path(__file__).resolve().parents[2]
OPERATIONS_MD = PROJECT_ROOT / "docs" / "OPERATIONS.md"
LOOPBACK = "127.0.0.1"

# A table row: | `NAME` | meaning | default | production |
_ROW = re.compile(r"^\|\s*`(?P<name>[A-Z][A-Z0-9_]*)`\s*\|(?P<cells>.*)\|\s*$")
_ONE_CODE_VALUE = re.compile(r"^`(?P<value>[^`]*)`$")


def documented_production_environment() -> dict[str, str]:
    """{variable: value} for every row of docs/OPERATIONS.md's settings table whose production
    column is one piece of `code`; prose there (a secret, "the default") sets nothing."""
    found = {}
    for line in OPERATIONS_MD.read_text(encoding="utf-8").splitlines():
        row = _ROW.match(line.strip())
        if not row:
            continue
        cells = [cell.strip() for cell in row["cells"].split("|")]
        if len(cells) != 3:
            raise AssertionError(f"docs/OPERATIONS.md: a settings row needs 4 columns: {line}")
        value = _ONE_CODE_VALUE.match(cells[2])
        if value:
            found[row["name"]] = value["value"]
    return found


def random_secret_key() -> str:
    return secrets.token_urlsafe(50)  # 67 characters, as the table asks


def clean_environment(**extra: str) -> dict[str, str]:
    """os.environ without the suite's own Sammen settings and database, plus `extra`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("SAMMEN_")
        # The suite's conftest allows the ORM in Playwright's event loop; production does not.
        and name
        not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "sammen.settings"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def production_environment(**extra: str) -> dict[str, str]:
    """The documented production environment with a random secret key, plus `extra`."""
    values = {**documented_production_environment(), "SAMMEN_SECRET_KEY": random_secret_key()}
    return clean_environment(**{**values, **extra})


def manage(env: dict[str, str], *args: str, timeout: int = 300, check: bool = True):
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} exited with {done.returncode}\n"
            f"--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}"
        )
    return done


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class ProxiedClient:
    """Requests as the proxy forwards them: to 127.0.0.1:port, with the site's Host header and,
    unless `https=False`, X-Forwarded-Proto: https. Keeps cookies like a browser on HTTPS."""

    port: int
    host: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method, path, *, https=True, body=None, headers=None) -> Answer:
        sent = {"Host": self.host, "Accept-Language": "nb", **(headers or {})}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for raw in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        return answer

    def get(self, path, **options) -> Answer:
        return self.request("GET", path, **options)

    def post_form(self, path, fields, **options) -> Answer:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            # What a browser sends with a form posted on the HTTPS site.
            "Origin": f"https://{self.host}",
            "Referer": f"https://{self.host}{path}",
            **options.pop("headers", {}),
        }
        return self.request("POST", path, body=urlencode(fields), headers=headers, **options)


def set_cookies(answer: Answer) -> dict[str, str]:
    """name → the whole Set-Cookie header of `answer`, for checking the cookie's attributes."""
    found = {}
    for raw in answer.headers.get_all("Set-Cookie") or []:
        found[raw.split("=", 1)[0].strip()] = raw
    return found
