import re
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sammen.access.policy import Access
from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record
from sammen.cases.access import get_case, refuse
from sammen.cases.review import may_see, report_actions
from sammen.cases.review_forms import ReviewForm
from sammen.core.dates import within_bounds
from sammen.core.forms import run_button, run_or_explain
from sammen.org.models import Role, User

from . import calendar, date_rules, forms, rules, selectors, services
from .choices import OnHolidays, Recipient
from .models import CalendarToken, VisitFlat, VisitPlan, VisitReport, VisitSession
from .ruling_checks import plan_behind_its_ruling

FLAT_EDITORS = (Role.CASEWORKER, Role.SECTION_LEADER, Role.PROGRAMME_LEAD)
FLAT_READERS = (*FLAT_EDITORS, Role.COUNSELLOR)


def _plan(case, pk) -> VisitPlan:
    return get_object_or_404(
        VisitPlan.objects.select_related(
            "visitor", "flat", "counsellor", "ruling__decision", "made_by"
        ),
        pk=pk,
        case=case,
    )


def _session(case, pk) -> VisitSession:
    return get_object_or_404(
        VisitSession.objects.select_related(
            "plan__visitor", "plan__case__section", "counsellor", "flat", "replaces"
        ),
        pk=pk,
        plan__case=case,
    )


def _report(request, case, pk) -> VisitReport:
    """A report of the case; the caseworker sees it only once approved (or when asked to approve)."""
    report = get_object_or_404(
        VisitReport.objects.select_related("plan__visitor", "session", "approved_by", "written_by"),
        pk=pk,
        plan__case=case,
    )
    if not may_see(request.user, case, report):
        refuse(request, case, not_found=True)
    return report


def _is_id(text: str) -> bool:
    """A record id typed in an address: ASCII digits only, of a sane length."""
    return re.fullmatch(r"[0-9]{1,12}", text) is not None


def _plan_url(case, plan, anchor=""):
    url = reverse("visits:plan", args=[case.pk, plan.pk])
    return f"{url}#{anchor}" if anchor else url


# Plans -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def plan_form(request, case_pk, pk=None):
    """Make a first plan, or a new version of a plan (the old version stays as it was)."""
    case = get_case(request, case_pk, need=Access.WRITE)
    based_on = _plan(case, pk) if pk is not None else None
    initial = {"based_on": based_on.number if based_on else 0}
    if based_on is not None:
        initial.update({name: getattr(based_on, name) for name in forms.PLAN_FIELDS})
        initial.update(
            visitor=based_on.visitor_id, flat=based_on.flat_id, counsellor=based_on.counsellor_id
        )
        initial["starts_on"] = timezone.localdate()
    elif _is_id(request.GET.get("visitor", "")):
        initial["visitor"] = int(request.GET["visitor"])
    form = forms.PlanForm(request.POST or None, initial=initial, case=case)
    if based_on is not None:
        form.fields["visitor"].disabled = True
    if request.method == "POST" and form.is_valid():
        saved = run_or_explain(
            form,
            lambda: services.plan_create(
                user=request.user,
                case=case,
                plan=form.save(commit=False),
                based_on=form.cleaned_data.get("based_on"),
                request=request,
            ),
        )
        if saved:
            plan, notices = saved
            for notice in notices:
                messages.info(request, notice)
            messages.success(
                request, _("Version %(n)s of the plan was saved.") % {"n": plan.number}
            )
            return redirect(_plan_url(case, plan))
    title = _("New version of the visitation plan") if based_on else _("New visitation plan")
    return render(
        request,
        "visits/plan_form.html",
        {"case": case, "form": form, "title": title, "based_on": based_on},
    )


@require_safe
@login_required
def plan_detail(request, case_pk, pk):
    case = get_case(request, case_pk)
    plan = _plan(case, pk)
    page = selectors.plan_page(plan, today=timezone.localdate())
    reports = page["reports"]
    reports = [r for r in reports if may_see(request.user, case, r)]
    return render(
        request,
        "visits/plan.html",
        {
            "case": case,
            "plan": plan,
            **page,
            "reports": reports,
            "behind": plan_behind_its_ruling(plan) if page["is_current"] else None,
            "can_edit": case.access >= Access.WRITE,
            "recipients": Recipient.choices,
            "now": timezone.now(),
        },
    )


@require_safe
@login_required
def plan_pdf(request, case_pk, pk):
    """The plan as a PDF for one recipient (?til=child, foster_home, …)."""
    case = get_case(request, case_pk)
    plan = _plan(case, pk)
    recipient = request.GET.get("til", Recipient.VISITOR)
    if recipient not in Recipient.values:
        raise Http404
    from weasyprint import HTML

    html = render_to_string(
        "visits/plan_pdf.html",
        {"case": case, "plan": plan, "recipient": Recipient(recipient).label},
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    audit_record(
        user=request.user,
        action=AuditAction.EXPORT,
        case_id=case.pk,
        obj=plan,
        reason=f"plan for {recipient}",
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="samvaersplan-{case.reference}-v{plan.number}-{recipient}.pdf"'
    )
    return response


# Sessions --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def generate(request, case_pk, pk):
    """Plan a series of visits from the plan; double bookings are left out and listed."""
    case = get_case(request, case_pk, need=Access.WRITE)
    plan = _plan(case, pk)
    form = forms.GenerateForm(request.POST or None, case=case, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        series = rules.occurrences(
            first=data["first_day"], at=data["start_time"], minutes=data["minutes"],
            recurrence=data["recurrence"], interval=data["interval"], until=data["until"],
        )  # fmt: skip
        skip_holidays = data["on_holidays"] == OnHolidays.SKIP
        result = run_or_explain(
            form,
            lambda: services.sessions_generate(
                user=request.user, plan=plan, series=series, counsellor=data["counsellor"],
                flat=data["flat"], place_kind=data["place_kind"], skip_holidays=skip_holidays,
                request=request,
            ),
        )  # fmt: skip
        if result:
            created, skipped = result
            messages.success(
                request,
                ngettext("%(n)s visit was planned.", "%(n)s visits were planned.", len(created))
                % {"n": len(created)},
            )
            _tell_holidays(request, series, created, skip_holidays)
            if skipped:
                messages.warning(
                    request,
                    _("Not planned because of double bookings: %(list)s")
                    % {"list": " ".join(skipped)},
                )
            return redirect(_plan_url(case, plan, "sessions"))
    return render(
        request,
        "visits/form.html",
        {"case": case, "plan": plan, "form": form, "title": _("Plan visits")},
    )


def _tell_holidays(request, series, created, skipped: bool) -> None:
    """Say which dates of the series were left out, or planned and marked, as public holidays."""
    if skipped:
        _workdays, days = rules.split_holidays(series)
        text = _("Not planned on public holidays: %(list)s")
    else:
        days = [(s.starts_at, s.holiday) for s in created if s.holiday]
        text = _("Planned on public holidays and marked: %(list)s")
    if days:
        messages.warning(request, text % {"list": rules.holiday_list(days)})


def _new_session(case, plan_pk, replaces_pk: str) -> VisitSession:
    """A new visit of the plan with the plan's terms, or a replacement of a cancelled visit
    (?erstatter=<id>): its place and counsellor, a week later (the user may change it)."""
    plan = _plan(case, plan_pk)
    original = _session(case, int(replaces_pk)) if _is_id(replaces_pk) else None
    if original is None or not original.is_cancelled:
        return VisitSession(
            plan=plan, counsellor=plan.counsellor, flat=plan.flat, place_kind=plan.place_kind
        )
    starts_at, ends_at = rules.a_week_later(original.starts_at, original.ends_at)
    return VisitSession(
        plan=plan, starts_at=starts_at, ends_at=ends_at, counsellor=original.counsellor,
        flat=original.flat, place_kind=original.place_kind, replaces=original,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def session_form(request, case_pk, pk=None, plan_pk=None):
    """Add one visit (perhaps replacing a cancelled one), or move a planned one."""
    case = get_case(request, case_pk, need=Access.WRITE)
    replaces = request.GET.get("erstatter", "")
    session = _session(case, pk) if pk is not None else _new_session(case, plan_pk, replaces)
    plan = session.plan
    form = forms.SessionForm(request.POST or None, instance=session, case=case)
    if request.method == "POST" and form.is_valid():

        def action():
            if pk is None:
                return services.session_add(
                    user=request.user, plan=plan, session=form.save(commit=False), request=request
                )
            return services.session_move(
                user=request.user,
                session=form.save(commit=False),
                expected_version=form.cleaned_data.get("expected_version"),
                request=request,
            )

        if run_or_explain(form, action):
            messages.success(request, _("The visit was saved."))
            return redirect(_plan_url(case, plan, "sessions"))
    if pk:
        title = _("Move the visit")
    elif session.replaces_id:
        title = _("Book a replacement visit")
    else:
        title = _("Add a visit")
    return render(
        request,
        "visits/form.html",
        {"case": case, "plan": plan, "form": form, "title": title, "replaces": session.replaces},
    )


@require_safe
@login_required
def session_detail(request, case_pk, pk):
    case = get_case(request, case_pk)
    session = _session(case, pk)
    can_edit = case.access >= Access.WRITE
    replacement = session.replaced_by.order_by("starts_at", "pk").first()
    offer = can_edit and session.is_cancelled and replacement is None
    if offer:  # a replacement goes into the plan in force, not an earlier version
        offer = not VisitPlan.objects.filter(
            case=case, visitor_id=session.plan.visitor_id, number__gt=session.plan.number
        ).exists()
    return render(
        request,
        "visits/session.html",
        {
            "case": case,
            "s": session,
            "plan": session.plan,
            "can_edit": can_edit,
            "replacement": replacement,
            "offer_replacement": offer,
            # At most one entry per visit (a unique constraint of timelog.TimeEntry).
            "logged": session.time_entries.only("pk", "hours", "counsellor_id").first(),
            "offer_report": can_edit and _reportable(session),
            # A visit is recorded as held only once it has started (date_rules.session_held).
            "started": session.starts_at <= timezone.now(),
        },
    )


def _reportable(session: VisitSession) -> bool:
    """A report can be written on the visit: it was recorded as held and has started."""
    return not date_rules.report_session(session, None, None, now=timezone.now())


def _session_step(request, case_pk, pk, form_class, service, title, success):
    case = get_case(request, case_pk, need=Access.WRITE)
    session = _session(case, pk)
    form = form_class(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        if run_or_explain(form, lambda: service(
            user=request.user, session=form.save(commit=False),
            expected_version=form.cleaned_data.get("expected_version"), request=request,
        )):  # fmt: skip
            messages.success(request, success)
            return redirect("visits:session", case_pk=case.pk, pk=session.pk)
    return render(
        request,
        "visits/form.html",
        {"case": case, "plan": session.plan, "form": form, "title": title, "session": session},
    )


@require_http_methods(["GET", "POST"])
@login_required
def session_record(request, case_pk, pk):
    return _session_step(
        request, case_pk, pk, forms.RecordForm, services.session_record,
        _("Record the visit: before, during and after"), _("The visit was recorded as held."),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def session_cancel(request, case_pk, pk):
    return _session_step(
        request, case_pk, pk, forms.CancelForm, services.session_cancel,
        _("Cancelled visit or no-show"), _("The cancellation was recorded."),
    )  # fmt: skip


# Reports ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def report_form(request, case_pk, pk=None, plan_pk=None):
    case = get_case(request, case_pk, need=Access.WRITE)
    if pk is not None:
        report = _report(request, case, pk)
        plan = report.plan
    else:
        plan = _plan(case, plan_pk)
        report = VisitReport(plan=plan)
    initial = {}
    if pk is None and _is_id(request.GET.get("samvaer", "")):
        # "Write report" on a held visit: the report on that visit, its day as the period.
        session = (
            VisitSession.objects.filter(
                pk=int(request.GET["samvaer"]),
                plan__case=case,
                plan__visitor_id=plan.visitor_id,
            )
            .only("pk", "starts_at")
            .first()
        )
        if session is not None:
            on = date_rules.local_day(session.starts_at)
            initial = {"session": session.pk, "period_start": on, "period_end": on}
    form = forms.ReportForm(request.POST or None, instance=report, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_or_explain(form, lambda: services.report_write(
            user=request.user, plan=plan, report=form.save(commit=False),
            expected_version=form.cleaned_data.get("expected_version"), request=request,
        ))  # fmt: skip
        if saved:
            messages.success(request, _("The report was saved as a draft."))
            return redirect("visits:report", case_pk=case.pk, pk=saved.pk)
    return render(
        request,
        "visits/form.html",
        {"case": case, "plan": plan, "form": form, "title": _("Visit report")},
    )


def _report_sessions(report):
    if report.session_id:
        return [report.session]
    return list(
        VisitSession.objects.filter(
            plan__case_id=report.plan.case_id,
            plan__visitor_id=report.plan.visitor_id,
            starts_at__date__range=(report.period_start, report.period_end),
        ).order_by("starts_at")
    )


@require_safe
@login_required
def report_detail(request, case_pk, pk):
    case = get_case(request, case_pk)
    report = _report(request, case, pk)
    return render(
        request,
        "visits/report.html",
        {
            "case": case,
            "report": report,
            "plan": report.plan,
            "sessions": _report_sessions(report),
            **report_actions(request.user, case, report),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_review(request, case_pk, pk):
    case = get_case(request, case_pk, need=Access.WRITE)
    report = _report(request, case, pk)
    form = ReviewForm(
        request.POST or None,
        initial={"reviewed_on": timezone.localdate()},
        version=report.version,
    )
    if request.method == "POST" and form.is_valid():
        if run_or_explain(
            form,
            lambda: services.report_review(
                user=request.user, report=report, request=request, **form.cleaned_data
            ),
            record=report,
        ):
            messages.success(request, _("The parent's review was recorded."))
            return redirect("visits:report", case_pk=case.pk, pk=report.pk)
    return render(
        request, "visits/form.html",
        {"case": case, "plan": report.plan, "form": form, "title": _("Go through the report with the parent")},
    )  # fmt: skip


@require_POST
@login_required
def report_delete(request, case_pk, pk):
    """Delete a draft report (the button carries the version the page showed)."""
    case = get_case(request, case_pk, need=Access.WRITE)
    report = _report(request, case, pk)
    plan, session_id = report.plan, report.session_id
    deleted = run_button(
        request,
        lambda version: services.report_delete(
            user=request.user, report=report, expected_version=version, request=request
        ),
        _("The draft report was deleted."),
    )
    if not deleted:
        return redirect("visits:report", case_pk=case.pk, pk=pk)
    if session_id:
        return redirect("visits:session", case_pk=case.pk, pk=session_id)
    return redirect(_plan_url(case, plan))


@require_POST
@login_required
def report_approve(request, case_pk, pk):
    case = get_case(request, case_pk, need=Access.READ)
    report = _report(request, case, pk)
    run_button(
        request,
        lambda version: services.report_approve(
            user=request.user, report=report, expected_version=version, request=request
        ),
        _("The report was approved and is now available to the caseworker."),
    )
    return redirect("visits:report", case_pk=case.pk, pk=report.pk)


@require_safe
@login_required
def report_pdf(request, case_pk, pk):
    case = get_case(request, case_pk)
    report = _report(request, case, pk)
    if not report.is_approved:
        raise Http404
    from weasyprint import HTML

    html = render_to_string(
        "visits/report_pdf.html",
        {"case": case, "report": report, "plan": report.plan, "sessions": _report_sessions(report)},
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    audit_record(
        user=request.user, action=AuditAction.EXPORT, case_id=case.pk, obj=report, request=request
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="samvaersrapport-{case.reference}-{report.pk}.pdf"'
    )
    return response


# Costs -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def expense_add(request, case_pk, pk):
    case = get_case(request, case_pk, need=Access.WRITE)
    plan = _plan(case, pk)
    form = forms.ExpenseForm(request.POST or None, initial={"spent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if run_or_explain(
            form,
            lambda: services.expense_add(
                user=request.user, plan=plan, expense=form.save(commit=False), request=request
            ),
        ):
            messages.success(request, _("The expense was recorded."))
            return redirect(_plan_url(case, plan, "costs"))
    return render(
        request,
        "visits/form.html",
        {"case": case, "plan": plan, "form": form, "title": _("Support around visits")},
    )


# Calendars -------------------------------------------------------------------------------


def _week_start(request):
    """Monday of the week asked for (?uke=YYYY-MM-DD), or of this week."""
    today = timezone.localdate()
    try:
        day = datetime.strptime(request.GET.get("uke", ""), "%Y-%m-%d").date()  # noqa: DTZ007
    except ValueError:
        day = today
    if not within_bounds(day, today):  # a week at the calendar's end has no next week
        day = today
    return day - timedelta(days=day.weekday())


def _week_bounds(monday):
    start = datetime.combine(monday, datetime.min.time(), tzinfo=rules.OSLO)
    end = datetime.combine(monday + timedelta(days=7), datetime.min.time(), tzinfo=rules.OSLO)
    return start, end


@require_safe
@login_required
def counsellor_calendar(request):
    """A counsellor's visits week by week (?veileder=<id> for another counsellor of the unit)."""
    counsellor = request.user
    if _is_id(request.GET.get("veileder", "")):
        counsellor = get_object_or_404(
            User,
            pk=int(request.GET["veileder"]),
            unit_id=request.user.unit_id,
            role=Role.COUNSELLOR,
        )
    monday = _week_start(request)
    start, end = _week_bounds(monday)
    sessions = list(
        selectors.sessions_for_counsellor(counsellor, request.user, start=start, end=end)
    )
    audit_record(
        user=request.user,
        action=AuditAction.LIST,
        object_ids=sorted({s.plan.case_id for s in sessions}),
        request=request,
    )
    feed_url = None
    if counsellor == request.user:
        token = services.calendar_token_for(request.user)
        feed_url = request.build_absolute_uri(reverse("visits:ical", args=[token.token]))
    return render(
        request,
        "visits/calendar.html",
        {
            "counsellor": counsellor,
            "sessions": sessions,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "feed_url": feed_url,
        },
    )


@require_POST
@login_required
def calendar_token_renew(request):
    services.calendar_token_renew(user=request.user, request=request)
    messages.success(
        request, _("Your calendar has a new address. The old address no longer works.")
    )
    return redirect("visits:calendar")


@require_safe
def ical_feed(request, token):
    """The counsellor's visits as iCal, without names: only the case reference and the place."""
    owner = get_object_or_404(CalendarToken.objects.select_related("user"), token=token).user
    if not owner.is_active:
        raise Http404
    body = calendar.feed(owner, selectors.feed_sessions(owner))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="samvaer.ics"'
    return response


def _unit_flats(user):
    if user.role not in FLAT_READERS or user.unit_id is None:
        raise PermissionDenied
    return VisitFlat.objects.filter(unit_id=user.unit_id)


@require_safe
@login_required
def flat_list(request):
    flats = _unit_flats(request.user).order_by("-is_active", "name")
    return render(
        request,
        "visits/flat_list.html",
        {"flats": flats, "can_edit": request.user.role in FLAT_EDITORS},
    )


@require_http_methods(["GET", "POST"])
@login_required
def flat_form(request, pk=None):
    if request.user.role not in FLAT_EDITORS:
        raise PermissionDenied
    flats = _unit_flats(request.user)
    flat = (
        get_object_or_404(flats, pk=pk)
        if pk is not None
        else VisitFlat(unit_id=request.user.unit_id)
    )
    form = forms.FlatForm(request.POST or None, instance=flat)
    if request.method == "POST" and form.is_valid():
        if run_or_explain(form, lambda: services.flat_save(
            user=request.user, flat=form.save(commit=False),
            expected_version=form.cleaned_data.get("expected_version"), request=request,
        )):  # fmt: skip
            messages.success(request, _("Saved."))
            return redirect("visits:flat_list")
    title = _("Edit visit flat") if pk else _("New visit flat")
    return render(
        request,
        "visits/form.html",
        {"form": form, "title": title, "back": reverse("visits:flat_list")},
    )


@require_safe
@login_required
def flat_calendar(request, pk):
    """A flat's bookings week by week; visits on cases the viewer may not see show as "booked"."""
    flat = get_object_or_404(_unit_flats(request.user), pk=pk)
    monday = _week_start(request)
    start, end = _week_bounds(monday)
    sessions = selectors.sessions_in_flat(flat, request.user, start=start, end=end)
    audit_record(
        user=request.user, action=AuditAction.LIST,
        object_ids=sorted({s.plan.case_id for s in sessions if s.visible}), request=request,
    )  # fmt: skip
    return render(
        request,
        "visits/flat_calendar.html",
        {
            "flat": flat,
            "sessions": sessions,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
        },
    )
