from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sammen.access.policy import Access
from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record
from sammen.cases.access import SAFE_METHODS, get_case
from sammen.core.forms import run_button, run_or_explain
from sammen.org.models import Role
from sammen.visits.choices import SessionStatus

from . import rules, selectors, services
from .forms import TimeEntryForm
from .models import Activity, TimeEntry


def _counsellor_only(user):
    if user.role != Role.COUNSELLOR:
        raise PermissionDenied


@require_safe
@login_required
def mine(request):
    """The counsellor's own time log."""
    _counsellor_only(request.user)
    entries = list(selectors.my_entries(request.user))
    totals = {row["activity"]: row for row in selectors.my_totals(request.user)}
    audit_record(
        user=request.user,
        action=AuditAction.LIST,
        object_ids=sorted({e.case_id for e in entries}),
        request=request,
    )
    rows = [(label, totals.get(value)) for value, label in Activity.choices]
    return render(request, "timelog/mine.html", {"entries": entries, "totals": rows})


def _contact_from(request, raw):
    """The follow-up contact named by `raw`, if the user may change its case; else 404."""
    try:
        contact = selectors.contact_for_entry(int(raw))
    except (TypeError, ValueError):
        contact = None
    if contact is None:
        raise Http404
    get_case(request, contact.followup.referral.case_id, need=Access.WRITE)
    return contact


def _session_from(request, raw):
    """The held visit named by `raw`, if the user may change its case; else 404."""
    try:
        session = selectors.session_for_entry(int(raw))
    except (TypeError, ValueError):
        session = None
    if session is None:
        raise Http404
    case = get_case(request, session.plan.case_id, need=Access.WRITE, audit_view=False)
    if session.status != SessionStatus.HELD:
        raise Http404  # a planned, cancelled or missed visit has no length to log
    if request.method in SAFE_METHODS:
        audit_record(
            user=request.user, action=AuditAction.VIEW, case_id=case.pk, obj=case, request=request
        )
    return session


@require_http_methods(["GET", "POST"])
@login_required
def add(request):
    """Log time; `?contact=<id>` starts from a follow-up contact (date, hours and activity),
    `?session=<id>` from a held visit (its date and length, activity "visit")."""
    _counsellor_only(request.user)
    contact = session = None
    raw_contact = request.POST.get("contact") or request.GET.get("contact")
    raw_session = request.POST.get("session") or request.GET.get("session")
    if raw_contact and raw_session:
        return HttpResponseBadRequest()
    if raw_contact:
        contact = _contact_from(request, raw_contact)
    if raw_session:
        session = _session_from(request, raw_session)
    initial = {}
    if contact is not None:
        initial = {
            "case": contact.followup.referral.case_id,
            "worked_on": contact.held_on,
            "hours": rules.hours_from_minutes(contact.minutes),
            "activity": rules.activity_for_contact(
                with_whom=contact.with_whom, parent_relation=contact.followup.parent.relation
            ),
            "contact": contact.pk,
        }
    if session is not None:
        initial = {
            "case": session.plan.case_id,
            "worked_on": timezone.localdate(session.starts_at),
            "hours": rules.hours_between(session.starts_at, session.ends_at),
            "activity": Activity.VISIT,
            "session": session.pk,
        }
    form = TimeEntryForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.contact = contact
        entry.visit_session = session
        get_case(request, entry.case_id, need=Access.WRITE, audit_view=False)
        try:
            with transaction.atomic():
                services.time_entry_create(user=request.user, entry=entry, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The time was logged."))
            return redirect("timelog:mine")
    source = contact or session
    logged = source.time_entries.first() if source is not None else None
    return render(
        request,
        "timelog/form.html",
        {"form": form, "contact": contact, "session": session, "logged": logged},
    )


def _own_entry(request, pk) -> TimeEntry:
    """One of the signed-in counsellor's own entries, on a case they may still change; else 404."""
    _counsellor_only(request.user)
    entry = get_object_or_404(TimeEntry.objects.select_related("case"), pk=pk)
    if entry.counsellor_id != request.user.pk:
        raise Http404
    get_case(request, entry.case_id, need=Access.WRITE, audit_view=False)
    return entry


@require_http_methods(["GET", "POST"])
@login_required
def edit(request, pk):
    """Correct one of my entries: date, activity, hours, kilometres, note."""
    entry = _own_entry(request, pk)
    if request.method in SAFE_METHODS:
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            case_id=entry.case_id,
            obj=entry,
            request=request,
        )
    form = TimeEntryForm(request.POST or None, instance=entry, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = run_or_explain(
            form,
            lambda: services.time_entry_update(
                user=request.user,
                entry=form.save(commit=False),
                expected_version=form.cleaned_data["expected_version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The entry was changed."))
            return redirect("timelog:mine")
    return render(request, "timelog/form.html", {"form": form, "entry": entry})


@require_POST
@login_required
def delete(request, pk):
    """Delete one of my entries (the button carries the version the list showed)."""
    entry = _own_entry(request, pk)
    run_button(
        request,
        lambda version: services.time_entry_delete(
            user=request.user, entry=entry, expected_version=version, request=request
        ),
        _("The entry was deleted."),
    )
    return redirect("timelog:mine")
