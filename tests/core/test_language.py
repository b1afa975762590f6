"""Sammen speaks bokmål whatever the browser says, until the person chooses another language."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def _home(client):
    response = client.get(reverse("cases:home"), **ENGLISH_BROWSER)
    assert response.status_code == 200
    return response


def test_an_english_browser_gets_bokmal(client, people):
    client.force_login(people["kari"])
    response = _home(client)
    html = response.content.decode()
    assert '<html lang="nb"' in html and "Mine saker" in html
    assert response["Content-Language"] == "nb"
    client.logout()
    login = client.get(reverse("login"), **ENGLISH_BROWSER).content.decode()
    assert '<html lang="nb"' in login


def test_the_choice_of_english_sticks_to_the_person(client, people):
    client.force_login(people["kari"])
    response = client.post(
        reverse("core:language"), {"language": "en", "next": reverse("cases:list")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("cases:list")
    people["kari"].refresh_from_db()
    assert people["kari"].language == "en"
    # A new session on another machine (no cookie): still English.
    client.logout()
    client.cookies.clear()
    client.force_login(people["kari"])
    html = _home(client).content.decode()
    assert '<html lang="en"' in html and "My cases" in html
    # Others are not affected.
    client.force_login(people["siri"])
    assert '<html lang="nb"' in _home(client).content.decode()


def test_nynorsk_can_be_chosen(client, people):
    client.force_login(people["kari"])
    client.post(reverse("core:language"), {"language": "nn", "next": "/"})
    html = _home(client).content.decode()
    assert '<html lang="nn"' in html
    assert 'value="nn" lang="nn" selected' in html
    assert "Vel språk" in html and "Velg språk" not in html  # nynorsk, not bokmål


def test_a_choice_before_signing_in_is_kept_in_a_cookie(client):
    client.post(reverse("core:language"), {"language": "en", "next": reverse("login")})
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en"' in html


@pytest.mark.parametrize(
    "data",
    [
        {"language": "xx", "next": "/"},
        {"language": "", "next": "/"},
        {"language": "en", "next": "https://example.org/"},
        {"language": "<script>", "next": "//evil"},
    ],
)
def test_odd_choices_change_nothing_and_never_leave_the_site(client, people, data):
    client.force_login(people["kari"])
    response = client.post(reverse("core:language"), data)
    assert response.status_code == 302
    assert response["Location"] == "/" or response["Location"].startswith("/")
    assert not response["Location"].startswith("//")
    people["kari"].refresh_from_db()
    assert people["kari"].language in ("", "en")
