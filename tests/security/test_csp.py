"""The Content Security Policy (django-csp): on every kind of page, and nothing inline to refuse.

The policy allows scripts and styles from this site only, so an inline <script>, an inline event
handler (onclick=…), a style="" attribute or a <style> element in a page would be refused by the
browser. `test_no_template_has_inline_script_or_style` reads every template of the project so a
new one fails the build here rather than silently breaking a page; the browser test
(test_csp_browser.py) checks what the browser itself reports.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

TEMPLATE_ROOTS = sorted(
    {Path(d) for d in settings.TEMPLATES[0]["DIRS"]}
    | {p for p in Path(settings.BASE_DIR).glob("*/templates") if p.is_dir()}
)
STATIC_JS = sorted((Path(settings.BASE_DIR) / "static").rglob("*.js"))

# Rendered to PDF by WeasyPrint on the server, never shown to a browser as a page: their <style>
# is the PDF's layout, and no policy applies there.
PDF_BASE = "core/pdf_base.html"

EXPECTED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


def directives(header):
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in parts}


def templates():
    for root in TEMPLATE_ROOTS:
        for path in sorted(root.rglob("*.html")):
            yield path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")


def is_pdf(name, text):
    return name == PDF_BASE or f'{{% extends "{PDF_BASE}" %}}' in text


# --- The header --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_policy_allows_this_site_only():
    header = Client().get(reverse("login"))["Content-Security-Policy"]
    found = directives(header)
    for name, value in EXPECTED_DIRECTIVES.items():
        assert found.get(name) == value, (name, header)
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        (None, "/logg-inn/", 200),  # the sign-in page
        (None, "/finnes-ikke/", 404),  # an error page
        (None, "/", 302),  # a redirect to sign in
        ("kari", "/", 200),  # a list
        ("kari", "case", 200),  # a case
        ("kari", "case_edit", 200),  # a form
        ("kari", "cases:create", 200),
        ("ola", "/sprak/", 405),  # wrong method
        ("ola", "case_audit", 403),  # refused
        ("siri", "insights:dashboard", 200),  # charts
        ("adam", "admin:index", 302),  # the admin (adam is no staff: sent to its sign-in)
        ("root", "admin:index", 200),
    ],
)
def test_every_kind_of_page_carries_the_policy(people, case_a, unit, who, url, status):
    from sammen.org.models import Role, User

    client = Client()
    if who == "root":
        client.force_login(
            User.objects.create_superuser(
                username="root", password=PASSWORD, role=Role.ADMINISTRATOR, unit=unit
            )
        )
    elif who:
        client.force_login(people[who])
    named = {
        "case": f"/saker/{case_a.pk}/",
        "case_edit": reverse("cases:edit", args=[case_a.pk]),
        "case_audit": reverse("cases:audit_log", args=[case_a.pk]),
    }
    path = named.get(url) or (reverse(url) if ":" in url else url)
    response = client.get(path)
    assert response.status_code == status
    assert directives(response["Content-Security-Policy"])["script-src"] == "'self'"


@pytest.mark.django_db
def test_the_lock_out_page_carries_the_policy(people):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "kari", "password": "feil"})
    assert response.status_code == 429
    assert "Content-Security-Policy" in response


# --- Nothing inline in the templates -----------------------------------------------------

SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.I | re.S)
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
HTMX_CODE = re.compile(r"\shx-on[:-]|\shx-vars\s*=|\shx-vals\s*=\s*[\"']\s*(js|javascript):", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
JAVASCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']\s*javascript:", re.I)


def inline_code(name, text):
    """Everything in one template the policy would refuse, as readable lines."""
    found = []
    # Django comments may mention tags; they never reach the page.
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    text = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", "", text, flags=re.S)
    for match in SCRIPT.finditer(text):
        if "src=" not in match.group("attrs") or match.group("body").strip():
            found.append(f"{name}: inline <script>: {match.group(0)[:80]!r}")
    if not is_pdf(name, text) and STYLE_ELEMENT.search(text):
        found.append(f"{name}: a <style> element")
    for tag in TAG.finditer(text):
        source = tag.group(0)
        for pattern, what in (
            (EVENT_HANDLER, "an inline event handler"),
            (HTMX_CODE, "code in an htmx attribute (needs eval)"),
            (JAVASCRIPT_URL, "a javascript: address"),
        ):
            if pattern.search(source):
                found.append(f"{name}: {what}: {source[:100]!r}")
        if not is_pdf(name, text) and STYLE_ATTRIBUTE.search(source):
            found.append(f"{name}: a style attribute: {source[:100]!r}")
    return found


def test_the_scan_finds_what_it_looks_for():
    bad = (
        '<script>alert(1)</script><script src="/x.js"></script>'
        '<button onclick="go()">x</button><p style="color:red">x</p><style>p{}</style>'
        '<div hx-on:click="x()"></div><a href="javascript:go()">x</a>'
    )
    found = inline_code("bad.html", bad)
    assert len(found) == 6, found
    good = '<script src="/x.js" defer></script><p class="one" data-one="1">on=</p>{# <script>x</script> #}'
    assert inline_code("good.html", good) == []


def test_the_scan_reads_the_templates():
    names = [name for name, _text in templates()]
    assert "base.html" in names
    assert "registration/login.html" in names
    assert len(names) > 50


def test_no_template_has_inline_script_or_style():
    found = [line for name, text in templates() for line in inline_code(name, text)]
    assert found == [], "\n".join(found)


def test_only_pdf_templates_may_style_themselves():
    pdfs = [name for name, text in templates() if is_pdf(name, text)]
    assert all(name == PDF_BASE or name.endswith("_pdf.html") for name in pdfs), pdfs


def test_no_script_evaluates_code_or_writes_style_attributes():
    found = []
    for path in STATIC_JS:
        source = path.read_text(encoding="utf-8")
        for pattern in (
            r"\beval\(",
            r"new Function\(",
            r"setAttribute\(\s*[\"']style",
            r"\.innerHTML\s*=",
        ):
            if re.search(pattern, source):
                found.append(f"{path.name}: {pattern}")
    assert found == []


def test_base_html_tells_htmx_to_inject_no_style_and_evaluate_nothing():
    base = next(text for name, text in templates() if name == "base.html")
    assert '"includeIndicatorStyles": false' in base
    assert '"allowEval": false' in base
    css = (Path(settings.BASE_DIR) / "static/sammen/csp.css").read_text(encoding="utf-8")
    assert ".htmx-indicator" in css
