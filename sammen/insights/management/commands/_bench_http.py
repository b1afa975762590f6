"""A minimal browser for the load phase of `manage.py bench`: one signed-in staff member.

It speaks plain HTTP to the server on the loopback interface with `http.client`, one connection
per request, keeps its own cookies (the server marks them Secure, which a browser would only
send over HTTPS; the measurement runs over plain HTTP on 127.0.0.1), and fills in forms the way
a browser submits them: every field as the page rendered it, with a few values changed.
"""

import html
import http.client
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

LOOPBACK = "127.0.0.1"
SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


@dataclass
class Response:
    status: int
    location: str
    body: str
    ms: float

    def text(self):
        return html.unescape(self.body)


class FormParser(HTMLParser):
    """Every <form> of a page as {"action", "method", "fields": {name: [values]}}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.select = None  # (name, options [(value, selected)]) while inside a <select>
        self.option = None  # [value or None, text, selected] while inside an <option>
        self.textarea = None  # [name, text] while inside a <textarea>

    def add(self, name, value):
        if self.forms and name:
            self.forms[-1]["fields"].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": a.get("action") or "", "method": a.get("method", "get"), "fields": {}}
            )
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.add(a.get("name"), a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select":
            self.select = (a.get("name"), [])
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "", "selected" in a]
        elif tag == "textarea":
            self.textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def close_option(self):
        if self.option is not None and self.select is not None:
            value, text, selected = self.option
            self.select[1].append((text.strip() if value is None else value, selected))
        self.option = None

    def handle_endtag(self, tag):
        if tag == "option":
            self.close_option()
        elif tag == "select" and self.select is not None:
            self.close_option()
            name, options = self.select
            chosen = [value for value, selected in options if selected] or [
                value for value, _ in options[:1]
            ]
            for value in chosen:
                self.add(name, value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.add(name, text.removeprefix("\n"))
            self.textarea = None


def form_with(body, field):
    """The fields of the first form on the page that has `field`, or None."""
    parser = FormParser()
    parser.feed(body)
    parser.close()
    for form in parser.forms:
        if field in form["fields"]:
            return {name: list(values) for name, values in form["fields"].items()}
    return None


class Browser:
    """One user's cookies and requests against http://127.0.0.1:<port>."""

    def __init__(self, port, timeout=60.0):
        self.port = port
        self.timeout = timeout
        self.cookies = {}

    def keep_cookies(self, headers):
        for header in headers:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value and morsel["max-age"] not in ("0", 0):
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)

    def request(self, method, path, fields=None):
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        ms = (time.perf_counter() - started) * 1000
        self.keep_cookies(answer.headers.get_all("Set-Cookie") or [])
        return Response(
            answer.status,
            answer.headers.get("Location", ""),
            content.decode("utf-8", "replace"),
            ms,
        )

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields):
        return self.request("POST", path, fields)

    def sign_in(self, login_path, username, password):
        """Sign in through the login form; True when the server started a session."""
        page = self.get(login_path)
        fields = form_with(page.body, "username") if page.status == 200 else None
        if fields is None:
            return False
        fields.update(username=[username], password=[password])
        answer = self.post(login_path, fields)
        return answer.status == 302 and "sessionid" in self.cookies
