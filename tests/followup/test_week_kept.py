"""«Min uke» keeps its content under the versions of the counsellor's cases
(followup/week_page.py): served again while nothing changed, shown anew at once after a write to
any of those cases or a new referral, never for a counsellor with an access grant, and every view
audit-logged with the cases it shows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.access.models import AccessGrant
from sammen.audit.models import AuditAction, AuditEvent
from sammen.followup.models import Contact, FollowUp

from .. import factories as f
from .week_data import _contact, _followup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _view(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("followup:my_week"))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")], len(queries)


def test_a_second_view_is_kept_and_audited_with_the_cases_shown(client, people, case_a, week):
    client.force_login(people["ola"])
    first, cold = _view(client)
    again, warm = _view(client)
    assert again == first
    assert warm < cold
    rows = AuditEvent.objects.filter(user=people["ola"], action=AuditAction.LIST)
    assert [row.object_ids for row in rows] == [[case_a.pk], [case_a.pk]]


def test_a_contact_written_without_save_shows_at_once(client, people, week):
    client.force_login(people["ola"])
    before, _ = _view(client)
    Contact.objects.bulk_create(
        [
            Contact(
                followup=week["active"],
                held_on=timezone.localdate() + timedelta(days=3),
                with_whom="parent",
                place="school",
                method="cosp",
                minutes=60,
                recorded_by=people["ola"],
            )
        ]
    )
    after, _ = _view(client)
    assert after != before
    assert after.count("Anne Testmor") == before.count("Anne Testmor") + 1


def test_a_new_referral_on_another_case_shows_at_once(client, people, section_a, week):
    client.force_login(people["ola"])
    _view(client)
    other = f.make_case(section=section_a, caseworker=people["kari"], counsellors=[people["ola"]])
    mother = f.make_parent(other, first_name="Eva")
    _contact(_followup(other, mother, people["ola"], started_on=timezone.localdate()), 1)
    after, _ = _view(client)
    assert "Eva Testmor" in after
    assert other.pk in AuditEvent.objects.order_by("-pk").first().object_ids


def test_a_referral_moved_to_another_counsellor_leaves_at_once(client, people, week):
    client.force_login(people["ola"])
    before, _ = _view(client)
    assert "Bjørn Testfar" in before
    FollowUp.objects.get(pk=week["declined"].pk).referral.__class__.objects.filter(
        pk=week["declined"].referral_id
    ).update(counsellor=people["per"])
    after, _ = _view(client)
    assert "Bjørn Testfar" not in after


def test_a_counsellor_with_an_access_grant_is_never_served_kept_content(
    client, people, case_b, week
):
    AccessGrant.objects.create(
        case=case_b,
        user=people["ola"],
        granted_by=people["siri"],
        reason="Vikar",
        valid_until=timezone.now() + timedelta(days=1),
    )
    client.force_login(people["ola"])
    _, first = _view(client)
    _, second = _view(client)
    assert second == first
