"""The same people everywhere: one unit with two sections and a case in each.

- kari: caseworker of case_a (section A); ola: counsellor on case_a's team
- per: counsellor outside every team; siri: section leader of A; sven: section leader of B
- pia: programme lead of the unit; adam: administrator; cato: caseworker of case_b (section B)
"""

import os

import pytest

from sammen.org.models import Role

from . import factories as f
from .browser.support import browser, new_page, page  # noqa: F401  (Playwright fixtures for every package)

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM use.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _nothing_kept_from_another_test():
    """The dashboard keeps its aggregates for minutes (insights.figures); ids repeat between
    tests, so each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def unit(db):
    return f.make_unit("Bydel Nordvik")


@pytest.fixture
def section_a(unit):
    return f.make_section(unit, "Seksjon for omsorg")


@pytest.fixture
def section_b(unit):
    return f.make_section(unit, "Seksjon for tiltak")


@pytest.fixture
def people(unit, section_a, section_b):
    return {
        "kari": f.make_user("kari", Role.CASEWORKER, unit=unit, section=section_a),
        "ola": f.make_user("ola", Role.COUNSELLOR, unit=unit),
        "per": f.make_user("per", Role.COUNSELLOR, unit=unit),
        "siri": f.make_user("siri", Role.SECTION_LEADER, unit=unit, section=section_a),
        "sven": f.make_user("sven", Role.SECTION_LEADER, unit=unit, section=section_b),
        "pia": f.make_user("pia", Role.PROGRAMME_LEAD, unit=unit),
        "adam": f.make_user("adam", Role.ADMINISTRATOR, unit=unit),
        "cato": f.make_user("cato", Role.CASEWORKER, unit=unit, section=section_b),
    }


@pytest.fixture
def place(unit):
    return f.make_place(unit, "Fosterhjem Lien")


@pytest.fixture
def case_a(people, section_a, place):
    case = f.make_case(section=section_a, caseworker=people["kari"], counsellors=[people["ola"]])
    f.make_parent(case)
    f.make_placement(case, place)
    return case


@pytest.fixture
def case_b(people, section_b):
    return f.make_case(
        section=section_b, caseworker=people["cato"], child_first="Jonas", child_last="Andrebarn"
    )


def login(client, user):
    client.force_login(user)
    return client
