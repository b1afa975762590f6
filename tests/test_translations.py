"""The Norwegian catalogues (bokmål, sammen/locale/nb, and nynorsk, sammen/locale/nn) are
complete, compiled and in use.

Regenerate it with `make messages` (or the makemessages/compilemessages commands in the Makefile)
after changing UI text, translate the new entries, and run these tests.
"""

import ast
import gettext
import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils.translation.template import templatize

from .conftest import login

SAMMEN = Path(__file__).resolve().parent.parent / "sammen"
LOCALES = ("nb", "nn")

# Placeholders that must survive translation unchanged: %(name)s / %s, and the {{ n }} of a
# blocktranslate (which the catalogue stores as %(n)s).
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


@pytest.fixture(scope="module", params=LOCALES)
def po(request):
    """The catalogue of one language; `po.mo_path` is its compiled file."""
    catalogue = polib.pofile(str(SAMMEN / "locale" / request.param / "LC_MESSAGES" / "django.po"))
    catalogue.mo_path = SAMMEN / "locale" / request.param / "LC_MESSAGES" / "django.mo"
    catalogue.locale = request.param
    return catalogue


def _live(po):
    return [e for e in po if not e.obsolete]


def _label(entry):
    ctx = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{ctx}{entry.msgid!r}"


def _key(ctx, msgid):
    return f"{ctx}\x04{msgid}" if ctx else msgid


# (a) complete: every entry translated, nothing fuzzy, header right -------------------------------


def test_header_declares_utf8_and_norwegian_plural_rule(po):
    assert not po.metadata_is_fuzzy, "The catalogue header is marked fuzzy"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"


def test_every_entry_is_translated(po):
    missing = [_label(e) for e in _live(po) if not e.translated()]
    assert not missing, f"{len(missing)} untranslated msgid(s):\n" + "\n".join(missing)


def test_no_entry_is_fuzzy(po):
    fuzzy = [_label(e) for e in _live(po) if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy msgid(s) to check:\n" + "\n".join(fuzzy)


def test_translations_keep_the_placeholders(po):
    wrong = []
    for e in _live(po):
        if e.msgid_plural:
            pairs = [(e.msgid_plural, s) for s in e.msgstr_plural.values()]
            # The singular may leave out the count ("one topic"), so check the plural form only.
            pairs = pairs[1:]
        else:
            pairs = [(e.msgid, e.msgstr)]
        for source, target in pairs:
            if target and sorted(PLACEHOLDER.findall(source)) != sorted(
                PLACEHOLDER.findall(target)
            ):
                wrong.append(f"{_label(e)} -> {target!r}")
    assert not wrong, "Placeholders differ:\n" + "\n".join(wrong)


# (b) compiled: the .mo says what the .po says ----------------------------------------------------


def test_compiled_catalogue_matches_the_po(po):
    assert po.mo_path.exists(), f"django.mo is missing: run compilemessages --locale {po.locale}"
    with po.mo_path.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    stale = []
    for e in _live(po):
        if e.msgid_plural:
            for n, index in ((1, 0), (2, 1)):
                got = (
                    mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                    if e.msgctxt
                    else mo.ngettext(e.msgid, e.msgid_plural, n)
                )
                if got != e.msgstr_plural[index]:
                    stale.append(f"{_label(e)}[{index}]: .mo has {got!r}")
        else:
            got = mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt else mo.gettext(e.msgid)
            # gettext() falls back to the msgid, so also require the entry itself to be present.
            present = _key(e.msgctxt, e.msgid) in mo._catalog
            if got != e.msgstr or not present:
                stale.append(f"{_label(e)}: .mo has {got if present else 'nothing'!r}")
    assert not stale, f"django.mo is out of date; run `make messages` ({po.locale}):\n" + "\n".join(
        stale
    )


# (c) current: every literal msgid in the code is in the catalogue --------------------------------

GETTEXT_FUNCS = {
    # name: (index of msgctxt or None, index of msgid)
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}


def _python_msgids(path):
    """(msgctxt, msgid) of every gettext call with literal strings; f-strings are reported."""
    found, broken = set(), []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in GETTEXT_FUNCS:
            continue
        ctx_i, id_i = GETTEXT_FUNCS[name]
        args = node.args
        if len(args) <= id_i:
            continue
        if any(isinstance(a, ast.JoinedStr) for a in args[: id_i + 1]):
            broken.append(f"{path.relative_to(SAMMEN.parent)}:{node.lineno}")
            continue
        msgid = args[id_i]
        ctx = args[ctx_i] if ctx_i is not None else None
        if not (isinstance(msgid, ast.Constant) and isinstance(msgid.value, str)):
            continue  # a variable: translated elsewhere (e.g. a choices label)
        if ctx is not None and not (isinstance(ctx, ast.Constant) and isinstance(ctx.value, str)):
            continue
        found.add((ctx.value if ctx is not None else None, msgid.value))
    return found, broken


TEMPLATE_CALL = re.compile(
    r"(?<!\w)(n?p?gettext|_)\(((?:\s*u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*,?)+)"
)
PY_STRING = re.compile(r"u?('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")


def _template_msgids(path):
    """Runs the template through Django's own makemessages lexer (templatize), so {% translate %},
    {% blocktranslate %} (with count/plural, context and trimmed) and _("…") in filters are all
    covered, then reads the gettext calls it writes out."""
    found = set()
    for func, args in TEMPLATE_CALL.findall(templatize(path.read_text(encoding="utf-8"))):
        strings = [ast.literal_eval(s) for s in PY_STRING.findall(args)]
        if func.startswith("np") or func.startswith("p"):
            found.add((strings[0], strings[1]))
        else:
            found.add((None, strings[0]))
    return found


def _sources():
    for path in sorted(SAMMEN.rglob("*")):
        if "locale" in path.relative_to(SAMMEN).parts or not path.is_file():
            continue
        if path.suffix == ".py" or (path.suffix in {".html", ".txt"} and "templates" in path.parts):
            yield path


def test_every_msgid_in_the_code_is_in_the_catalogue(po):
    """Like running makemessages and finding nothing new. Limits: only gettext calls whose
    arguments are string literals (implicit concatenation included) are checked; a msgid built
    at run time cannot be extracted by makemessages either. An f-string in a gettext call is
    reported as broken, since it can never match a catalogue entry."""
    known = {(e.msgctxt or None, e.msgid) for e in _live(po)}
    known |= {(e.msgctxt or None, e.msgid_plural) for e in _live(po) if e.msgid_plural}
    missing, broken = [], []
    for path in _sources():
        if path.suffix == ".py":
            found, bad = _python_msgids(path)
            broken += bad
        else:
            found = _template_msgids(path)
        rel = path.relative_to(SAMMEN.parent)
        missing += [f"{rel}: {m!r}" + (f" [{c}]" if c else "") for c, m in found - known]
    assert not broken, "gettext called with an f-string (cannot be translated):\n" + "\n".join(
        broken
    )
    assert not missing, (
        f"{len(missing)} msgid(s) in the code are not in the catalogue; run `make messages` "
        "and translate them:\n" + "\n".join(sorted(missing))
    )


def test_the_extractor_sees_blocktranslate_and_context():
    """Guards the check above: it must see the shapes of msgid the templates use."""
    found = set()
    for rel in ("followup/detail.html", "cases/audit_log.html", "cases/_overview_body.html"):
        found |= _template_msgids(SAMMEN / "templates" / rel)
    assert (None, "%(n)s contact per month") in found  # the singular of a count
    assert (None, "%(n)s topic covered") in found
    assert ("audit log column: the record that was read or changed", "Record") in found
    assert (None, "ongoing") in found  # _("…") as a filter argument


# (d) in use: a page comes out in Norwegian -------------------------------------------------------


def test_case_overview_is_shown_in_norwegian(client, people, case_a):
    login(client, people["kari"])
    response = client.get(reverse("cases:overview", args=[case_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for norwegian, english in [
        ("Plasseringshistorikk", "Placement history"),
        ("Foreldre og andre nærstående", "Parents and others close to the child"),
        ("Mine saker", "My cases"),
        ("Logg ut", "Sign out"),
    ]:
        assert norwegian in html
        assert english not in html
