"""Numbers, counts and frequencies in words (core.wording, number_tags), per language.

The Norwegian wordings of new texts are checked once the catalogues have them; until then those
tests are expected failures that say which msgids the catalogue lacks.
"""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext, ngettext

from sammen.core.wording import frequency_text, hours_text, number, plural_n


def needs_catalogue(lang, *msgids):
    with translation.override(lang):
        # A plural entry answers ngettext, not gettext.
        missing = [m for m in msgids if gettext(m) == m and ngettext(m, m, 1) == m]
    if missing:
        pytest.xfail(f"the {lang} catalogue lacks {missing}")


@pytest.mark.parametrize(
    ("lang", "value", "text"),
    [
        ("nb", Decimal("2.5"), "2,5"),
        ("nb", Decimal("2.50"), "2,5"),  # as PostgreSQL returns it
        ("nb", 10000, "10\u202f000"),
        ("nn", Decimal("1234.75"), "1\u202f234,75"),
        ("nb", 2.5, "2,5"),
        ("nb", Decimal("-1500"), "-1\u202f500"),
        ("nb", None, "–"),
        ("en", Decimal("2.5"), "2.5"),
        ("en", 10000, "10,000"),
    ],
)
def test_numbers_are_written_the_languages_way(lang, value, text):
    with translation.override(lang):
        assert number(value) == text


def test_fixed_places_and_the_template_filter():
    with translation.override("nb"):
        assert number(Decimal("6"), 2) == "6,00"
        html = Template("{% load number_tags %}{{ x|number }} {{ y|number:1 }}").render(
            Context({"x": Decimal("10000.5"), "y": 3})
        )
    assert html == "10\u202f000,5 3,0"


def test_a_template_prints_a_decimal_with_a_comma_in_norwegian():
    for lang in ("nb", "nn"):
        with translation.override(lang):
            assert Template("{{ x }}").render(Context({"x": Decimal("2.5")})) == "2,5"


@pytest.mark.parametrize(("value", "n"), [(1, 1), (2, 2), (Decimal("1.0"), 1), (1.5, 2), (0, 0)])
def test_the_plural_count_of_a_number(value, n):
    assert plural_n(value) == n


COMMON = [
    ((1, 1, "week"), "every week", "hver uke", "kvar veke"),
    ((1, 2, "week"), "every other week", "hver andre uke", "kvar andre veke"),
    ((1, 3, "week"), "every 3 weeks", "hver 3. uke", "kvar 3. veke"),
    ((1, 1, "month"), "once a month", "én gang i måneden", "éin gong i månaden"),
    ((2, 1, "month"), "twice a month", "to ganger i måneden", "to gonger i månaden"),
    ((1, 2, "month"), "every other month", "hver andre måned", "kvar andre månad"),
    ((3, 1, "month"), "3 times a month", "3 ganger i måneden", "3 gonger i månaden"),
    ((2, 1, "week"), "twice a week", "to ganger i uken", "to gonger i veka"),
    ((1, 1, "year"), "once a year", "én gang i året", "éin gong i året"),
    ((6, 1, "year"), "6 times a year", "6 ganger i året", "6 gonger i året"),
]
# Unusual frequencies fall back to the numbers.
UNUSUAL = [
    ((3, 2, "month"), "3 times per 2 months", "3 ganger per 2 måneder", "3 gonger per 2 månader"),
    ((2, 3, "week"), "2 times per 3 weeks", "2 ganger per 3 uker", "2 gonger per 3 veker"),
]


@pytest.mark.parametrize(("terms", "en", "nb", "nn"), COMMON + UNUSUAL)
def test_a_frequency_in_english_words(terms, en, nb, nn):
    with translation.override("en"):
        assert frequency_text(*terms) == en


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize(("terms", "en", "nb", "nn"), COMMON + UNUSUAL)
def test_a_frequency_in_norwegian_words(lang, terms, en, nb, nn):
    with translation.override("en"):
        msgid_shaped = frequency_text(*terms)
    # The msgid is the English text with the numbers put back as placeholders.
    needs_catalogue(lang, *_msgids(msgid_shaped, terms))
    with translation.override(lang):
        assert frequency_text(*terms) == {"nb": nb, "nn": nn}[lang]


def _msgids(text, terms):
    visits, length, _unit = terms
    if text.startswith(f"{visits} times per {length}"):
        return [text.replace(f"{visits} times per {length}", "%(visits)s times per %(length)s")]
    return [
        text.replace(f"every {length} ", "every %(n)s ").replace(f"{visits} times", "%(n)s times")
    ]


def test_the_plan_filter_words_a_plan_or_ruling():
    from types import SimpleNamespace

    plan = SimpleNamespace(visits=1, period_length=2, period_unit="week")
    with translation.override("en"):
        html = Template("{% load number_tags %}{{ plan|frequency }}").render(
            Context({"plan": plan})
        )
    assert html == "every other week"


@pytest.mark.parametrize(
    ("value", "en", "nb"),
    [
        (1, "1 hour", "1 time"),
        (2, "2 hours", "2 timer"),
        (Decimal("2.5"), "2.5 hours", "2,5 timer"),
    ],
)
def test_hours_take_the_plural_form_of_their_count(value, en, nb):
    with translation.override("en"):
        assert hours_text(value) == en
    needs_catalogue("nb", "%(n)s hour")
    with translation.override("nb"):
        assert hours_text(value) == nb
