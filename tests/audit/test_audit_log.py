"""The audit log records who looked at which case, and nothing can change or delete its rows."""

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from sammen.audit.models import AppendOnlyError, AuditAction, AuditEvent
from sammen.audit.services import audit_record
from sammen.org.models import Role, User

pytestmark = pytest.mark.django_db


def overview_url(case):
    return reverse("cases:overview", args=[case.pk])


@pytest.fixture
def event(people, case_a):
    return audit_record(user=people["kari"], action=AuditAction.VIEW, case_id=case_a.pk, obj=case_a)


# --- What gets written --------------------------------------------------------------------


def test_opening_a_case_overview_writes_a_view_row(client, people, case_a):
    client.force_login(people["kari"])
    assert client.get(overview_url(case_a)).status_code == 200
    row = AuditEvent.objects.get(case_id=case_a.pk)
    assert row.user == people["kari"]
    assert row.action == AuditAction.VIEW
    assert (row.object_type, row.object_id) == ("cases.ChildCase", str(case_a.pk))
    assert (row.method, row.path) == ("GET", overview_url(case_a))


def test_a_refused_attempt_writes_a_denied_row_although_the_request_is_rolled_back(
    client, people, case_a
):
    client.force_login(people["per"])
    assert client.get(overview_url(case_a)).status_code == 404
    row = AuditEvent.objects.get(case_id=case_a.pk)
    assert (row.user, row.action) == (people["per"], AuditAction.DENIED)
    assert row.path == overview_url(case_a)


def test_read_only_access_on_a_write_page_writes_a_denied_row(client, people, case_a):
    client.force_login(people["pia"])
    assert client.get(reverse("cases:edit", args=[case_a.pk])).status_code == 403
    actions = list(AuditEvent.objects.filter(case_id=case_a.pk).values_list("action", flat=True))
    assert actions == [AuditAction.DENIED]


@pytest.mark.parametrize("who", ["kari", "pia", "per"])
def test_the_case_list_writes_a_list_row_with_exactly_the_cases_shown(
    client, people, case_a, case_b, who
):
    client.force_login(people[who])
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    shown = sorted(case.pk for case in response.context["page"])
    row = AuditEvent.objects.get(action=AuditAction.LIST, user=people[who])
    assert sorted(row.object_ids) == shown
    assert row.case_id is None
    expected = {"kari": [case_a.pk], "pia": sorted([case_a.pk, case_b.pk]), "per": []}[who]
    assert shown == expected


# --- Rows are append-only -----------------------------------------------------------------


def test_saving_a_row_again_raises(event):
    event.reason = "tidied up"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_deleting_a_row_raises(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_raise(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_bulk_update_and_update_or_create_raise(event):
    event.reason = "x"
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["reason"])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"reason": "x"})


def test_djangos_base_manager_refuses_changes_too(event):
    """Django's internals reach rows through the base manager, not through `objects`."""
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.filter(pk=event.pk).delete()


def test_deleting_a_user_with_audit_rows_is_refused(event, people):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        people["kari"].delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def run_raw_sql(sql, params=()):
    """Run `sql` in a savepoint, so a refusal does not break the test's transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_update_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match="append-only"):
        run_raw_sql("UPDATE audit_auditevent SET reason = 'x'")
    event.refresh_from_db()
    assert event.reason == ""


def test_raw_sql_delete_is_refused_on_postgresql_and_guarded_by_the_orm_on_sqlite(event):
    """PostgreSQL has a DELETE trigger. SQLite has none on purpose — Django's test flush empties
    tables with DELETE (see audit migration 0002) — so there the ORM guards are the defence."""
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"):
            run_raw_sql("DELETE FROM audit_auditevent")
        assert AuditEvent.objects.filter(pk=event.pk).exists()
    else:
        assert connection.vendor == "sqlite", f"no expectations written for {connection.vendor}"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'audit_auditevent' ORDER BY name"
            )
            triggers = [name for (name,) in cursor.fetchall()]
        assert triggers == ["audit_no_update"]  # the documented limitation: no DELETE trigger
        for attempt in (
            event.delete,
            AuditEvent.objects.all().delete,
            AuditEvent._base_manager.all().delete,
        ):
            with pytest.raises(AppendOnlyError):
                attempt()
        assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- The admin ----------------------------------------------------------------------------


def test_the_admin_lets_even_a_superuser_only_read_the_log(event, unit):
    root = User.objects.create_superuser(
        username="root", password="x-Passord-123", role=Role.ADMINISTRATOR, unit=unit
    )
    request = RequestFactory().get("/admin/audit/auditevent/")
    request.user = root
    model_admin = admin.site._registry[AuditEvent]
    assert model_admin.has_view_permission(request, event)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_delete_permission(request, event)
    assert "delete_selected" not in model_admin.get_actions(request)


def test_the_admin_refuses_a_superuser_the_add_and_delete_pages(client, event, unit):
    root = User.objects.create_superuser(
        username="root", password="x-Passord-123", role=Role.ADMINISTRATOR, unit=unit
    )
    client.force_login(root)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- The case's audit log page ------------------------------------------------------------


def test_the_section_leader_sees_who_has_looked_at_the_case(client, people, case_a):
    people["ola"].first_name, people["ola"].last_name = "Ola", "Innsynsen"
    people["ola"].save()
    client.force_login(people["ola"])
    client.get(overview_url(case_a))

    client.force_login(people["siri"])
    response = client.get(reverse("cases:audit_log", args=[case_a.pk]))
    assert response.status_code == 200
    assert "Ola Innsynsen" in response.content.decode()


def test_the_caseworker_may_not_read_the_audit_log(client, people, case_a):
    client.force_login(people["kari"])
    assert client.get(reverse("cases:audit_log", args=[case_a.pk])).status_code == 403
    assert AuditEvent.objects.filter(
        case_id=case_a.pk, user=people["kari"], action=AuditAction.DENIED
    ).exists()


def test_the_section_leader_of_another_section_cannot_tell_the_case_exists(client, people, case_a):
    client.force_login(people["sven"])
    assert client.get(reverse("cases:audit_log", args=[case_a.pk])).status_code == 404
