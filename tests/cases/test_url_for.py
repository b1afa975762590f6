"""`{% url_for %}` (sammen/core/templatetags/url_tags.py) gives the addresses `{% url %}` gives."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from sammen.core.templatetags.url_tags import url_for_ids

NAMES = [
    ("cases:overview", 1),
    ("cases:edit", 1),
    ("cases:person_edit", 2),
    ("cases:ruling_add", 2),
    ("followup:detail", 2),
    ("followup:report", 2),
    ("visits:plan", 2),
]


@pytest.mark.parametrize(("name", "count"), NAMES)
@pytest.mark.parametrize("ids", [(7, 1234567), (1, 1), (98765, 11)])
def test_the_address_is_the_one_reverse_gives(name, count, ids):
    ids = ids[:count]
    assert url_for_ids(name, *ids) == reverse(name, args=ids)


def test_the_script_prefix_in_force_is_used():
    set_script_prefix("/sammen/")
    try:
        assert url_for_ids("cases:overview", 5) == "/sammen/saker/5/"
    finally:
        clear_script_prefix()
    assert url_for_ids("cases:overview", 5) == "/saker/5/"


def test_other_arguments_go_to_reverse():
    assert url_for_ids("cases:overview", "5") == reverse("cases:overview", args=["5"])
    with pytest.raises(NoReverseMatch):
        url_for_ids("cases:overview", "not a number")


def test_the_tag_escapes_and_prints_the_address():
    html = Template("{% load url_tags %}{% url_for 'cases:person_edit' a b %}").render(
        Context({"a": 3, "b": 4})
    )
    assert html == reverse("cases:person_edit", args=[3, 4])
