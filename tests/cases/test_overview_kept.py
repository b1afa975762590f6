"""The case overview keeps its content under the case's data version (cases/overview_page.py):
served again while nothing changed, shown anew at once after any write, never across viewers
with other rights, never past a moment when an access grant starts or ends, and every view is
still checked and audit-logged."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sammen.access.models import AccessGrant
from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases.models import Person

pytestmark = pytest.mark.django_db


def _view(client, case):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:overview", args=[case.pk]))
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")] if response.status_code == 200 else ""
    return response.status_code, main, len(queries)


def test_a_second_view_is_served_from_the_kept_content_and_still_audited(client, people, case_a):
    client.force_login(people["kari"])
    _, first, cold = _view(client, case_a)
    _, again, warm = _view(client, case_a)
    assert again == first
    assert warm < cold - 4
    views = AuditEvent.objects.filter(
        user=people["kari"], case_id=case_a.pk, action=AuditAction.VIEW
    )
    assert views.count() == 2


def test_any_write_to_the_case_shows_at_once(client, people, case_a):
    client.force_login(people["kari"])
    _, before, _ = _view(client, case_a)
    assert "Anne" in before
    Person.objects.filter(case=case_a, relation="mother").update(first_name="Berit")  # no save()
    _, after, _ = _view(client, case_a)
    assert "Berit" in after
    assert "Anne Testmor" not in after


def test_viewers_with_other_rights_never_share_content(client, people, case_a):
    client.force_login(people["kari"])  # caseworker: may edit, not grant access
    _, kari, _ = _view(client, case_a)
    client.force_login(people["siri"])  # section leader: may grant access
    _, siri, _ = _view(client, case_a)
    grants_link = reverse("cases:grants", args=[case_a.pk])
    assert grants_link not in kari
    assert grants_link in siri


def test_someone_without_access_is_refused_though_the_content_is_kept(client, people, case_a):
    client.force_login(people["kari"])
    _view(client, case_a)
    client.force_login(people["per"])  # counsellor outside the case
    status, _, _ = _view(client, case_a)
    assert status == 404
    assert AuditEvent.objects.filter(
        user=people["per"], case_id=case_a.pk, action=AuditAction.DENIED
    ).exists()


def test_a_grant_that_ends_leaves_the_page_when_it_ends(client, people, case_a):
    start = timezone.make_aware(datetime(2025, 6, 10, 10, 0))
    with time_machine.travel(start, tick=False):
        AccessGrant.objects.create(
            case=case_a,
            user=people["per"],
            granted_by=people["siri"],
            reason="Vikar for saksbehandler",
            valid_from=start,
            valid_until=start + timedelta(hours=1),
        )
        client.force_login(people["kari"])
        _, during, _ = _view(client, case_a)
        assert "Per Testesen" in during
    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        _, after, _ = _view(client, case_a)
        assert "Per Testesen" not in after
