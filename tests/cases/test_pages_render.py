import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_overview_renders_the_case_for_its_caseworker(client, people, case_a):
    client.force_login(people["kari"])
    response = client.get(reverse("cases:overview", args=[case_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mia Testdatter" in body
    assert "Anne Testmor" in body
    assert "Fosterhjem Lien" in body


@pytest.mark.parametrize(
    "name",
    [
        "cases:home",
        "cases:list",
        "cases:create",
        "cases:place_list",
        "cases:place_add",
        "core:floor",
    ],
)
def test_unit_pages_render_for_a_caseworker(client, people, case_a, name):
    client.force_login(people["kari"])
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "edit",
        "team",
        "grants",
        "audit_log",
        "person_add",
        "placement_add",
        "decision_add",
        "careplan_add",
        "actionplan_add",
    ],
)
def test_case_pages_render_for_the_section_leader(client, people, case_a, name):
    client.force_login(people["siri"])
    assert client.get(reverse(f"cases:{name}", args=[case_a.pk])).status_code == 200
