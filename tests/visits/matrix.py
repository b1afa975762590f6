"""Visit records for the permission matrix (tests/test_permission_matrix.py) to open."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from sammen.cases.review import ReviewState
from sammen.visits.models import VisitFlat, VisitPlan, VisitReport, VisitSession
from sammen.visits.rules import OSLO

# URL name → the kind of visit record its `pk` is.
PK_KINDS = {
    "plan": "visit_plan",
    "plan_revise": "visit_plan",
    "plan_pdf": "visit_plan",
    "generate": "visit_plan",
    "expense_add": "visit_plan",
    "session": "visit_session",
    "session_move": "visit_session",
    "session_record": "visit_session",
    "session_cancel": "visit_session",
    "report": "visit_report",
    "report_edit": "visit_report",
    "report_review": "visit_report",
    "report_approve": "visit_report",
    "report_delete": "visit_report",
    "report_pdf": "visit_report",
    "flat_calendar": "visit_flat",
    "flat_edit": "visit_flat",
}
WRONG_TOKEN = "not-a-calendar-token"


def add_visit_records(records, *, unit, made_by, approver):
    """A plan, a visit and an approved report on the case; a flat of the unit."""
    flat, _ = VisitFlat.objects.get_or_create(unit=unit, name="Samværsleiligheten")
    ruling = records.objects["ruling"]
    plan = VisitPlan.objects.create(
        case=records.case,
        visitor=ruling.visitor,
        ruling=ruling,
        starts_on=date(2025, 2, 1),
        evaluate_on=date(2025, 8, 1),
        visits=1,
        period_length=2,
        period_unit="month",
        hours=Decimal("2"),
        place_kind="flat",
        flat=flat,
        supervision="supervised",
        purposes=["bonds"],
        made_by=made_by,
    )
    start = datetime(2025, 3, 3, 17, tzinfo=OSLO) + timedelta(hours=records.case.pk)
    session = VisitSession.objects.create(
        plan=plan, starts_at=start, ends_at=start + timedelta(hours=2), flat=flat, place_kind="flat"
    )
    report = VisitReport.objects.create(
        plan=plan,
        period_start=date(2025, 3, 1),
        period_end=date(2025, 3, 31),
        summary="Fint",
        written_by=made_by,
        state=ReviewState.APPROVED,
        reviewed_on=date(2025, 4, 1),
        parent_agreement="agrees",
        approved_by=approver,
        approved_at=timezone.now(),
    )
    records.objects.update(
        {"visit_plan": plan, "visit_session": session, "visit_report": report, "visit_flat": flat}
    )


def visit_url_kwarg(route_key, name, records):
    """The value of a visits URL's argument, or None when `name` is not one of ours."""
    url_name = route_key.removeprefix("visits:")
    if name == "pk" and url_name in PK_KINDS:
        return records.objects[PK_KINDS[url_name]].pk
    if name == "plan_pk":
        return records.objects["visit_plan"].pk
    if name == "token":
        return WRONG_TOKEN
    return None
