from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sammen.access.policy import Access
from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record
from sammen.cases.access import get_case, refuse
from sammen.cases.review import may_see, report_actions
from sammen.cases.review_forms import ReviewForm
from sammen.core.forms import run_button, run_or_explain
from sammen.org.models import Role

from . import forms, rules, selectors, services
from .models import FollowUp, FollowUpReport, Referral
from .steps import STEPS


def _followup(case, pk):
    return get_object_or_404(
        FollowUp.objects.select_related("parent", "referral"), pk=pk, referral__case=case
    )


def _report(request, case, pk):
    """A report of the case; the caseworker sees it only once approved (or when asked to approve)."""
    report = get_object_or_404(
        FollowUpReport.objects.select_related(
            "followup__parent", "followup__referral", "approved_by", "written_by"
        ),
        pk=pk,
        followup__referral__case=case,
    )
    if not may_see(request.user, case, report):
        refuse(request, case, not_found=True)
    return report


@require_safe
@login_required
def overview(request):
    """Work waiting for me: referrals to approve, assign or correct, and my deadlines."""
    today = timezone.localdate()
    queue = list(selectors.referral_queue(request.user))
    reminders = selectors.reminders_for(request.user, today=today)
    audit_record(
        user=request.user,
        action=AuditAction.LIST,
        object_ids=sorted(
            {f.referral.case_id for f in queue} | {r.case_id for r in reminders if r.case_id}
        ),
        request=request,
    )
    return render(
        request, "followup/overview.html", {"queue": queue, "reminders": reminders, "today": today}
    )


@require_http_methods(["GET", "POST"])
@login_required
def refer(request, case_pk):
    case = get_case(request, case_pk, need=Access.WRITE)
    if request.user.role not in (Role.CASEWORKER, Role.SECTION_LEADER):
        refuse(request, case)
    form = forms.ReferralForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        referral = run_or_explain(
            form,
            lambda: services.referral_create(
                user=request.user,
                case=case,
                parents=list(form.cleaned_data["parents"]),
                referral=form.save(commit=False),
                request=request,
            ),
        )
        if referral:
            messages.success(request, _("The referral was sent to the section leader."))
            return redirect("cases:overview", case_pk=case.pk)
    return render(
        request,
        "followup/form.html",
        {"case": case, "form": form, "title": _("Refer to a family counsellor")},
    )


@require_http_methods(["GET", "POST"])
@login_required
def referral_edit(request, case_pk, pk):
    """The caseworker corrects a returned referral and sends it again."""
    case = get_case(request, case_pk, need=Access.WRITE)
    referral = get_object_or_404(Referral, pk=pk, case=case)
    form = forms.ReferralForm(request.POST or None, instance=referral, case=case)
    if request.method == "POST" and form.is_valid():
        if run_or_explain(
            form,
            lambda: services.referral_resubmit(
                user=request.user,
                referral=form.save(commit=False),
                expected_version=form.cleaned_data["expected_version"],
                request=request,
            ),
        ):
            messages.success(request, _("The referral was sent again."))
            return redirect("cases:overview", case_pk=case.pk)
    return render(
        request,
        "followup/form.html",
        {"case": case, "form": form, "title": _("Correct the referral"), "referral": referral},
    )


@require_http_methods(["GET", "POST"])
@login_required
def referral_decide(request, case_pk, pk):
    case = get_case(request, case_pk, need=Access.WRITE)
    referral = get_object_or_404(
        Referral.objects.prefetch_related("followups__parent"), pk=pk, case=case
    )
    if not services.may_decide(request.user, case):
        refuse(request, case)
    form = forms.DecisionForm(request.POST or None, version=referral.version)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        if run_or_explain(
            form,
            lambda: services.referral_decide(
                user=request.user,
                referral=referral,
                approve=approve,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["expected_version"],
                request=request,
            ),
            record=referral,
        ):
            messages.success(
                request,
                _("The referral was approved.") if approve else _("The referral was returned."),
            )
            return redirect("followup:overview")
    return render(
        request,
        "followup/form.html",
        {"case": case, "form": form, "title": _("Approve referral"), "referral": referral},
    )


@require_http_methods(["GET", "POST"])
@login_required
def referral_assign(request, case_pk, pk):
    case = get_case(request, case_pk, need=Access.READ)
    referral = get_object_or_404(
        Referral.objects.prefetch_related("followups__parent"), pk=pk, case=case
    )
    if not services.may_assign(request.user, case):
        refuse(request, case)
    load = list(selectors.counsellor_load(case.section.unit_id))
    form = forms.AssignForm(
        request.POST or None, unit_id=case.section.unit_id, load=load, version=referral.version
    )
    if request.method == "POST" and form.is_valid():
        if run_or_explain(
            form,
            lambda: services.referral_assign(
                user=request.user,
                referral=referral,
                counsellor=form.cleaned_data["counsellor"],
                expected_version=form.cleaned_data["expected_version"],
                request=request,
            ),
            record=referral,
        ):
            messages.success(request, _("The referral was assigned."))
            return redirect("followup:overview")
    return render(
        request,
        "followup/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Assign to a family counsellor"),
            "referral": referral,
            "load": load,
        },
    )


@require_safe
@login_required
def detail(request, case_pk, pk):
    case = get_case(request, case_pk)
    followup = selectors.followup_detail(_followup(case, pk))
    reports = list(followup.reports.all())
    reports = [r for r in reports if may_see(request.user, case, r)]
    return render(
        request,
        "followup/detail.html",
        {
            "case": case,
            "f": followup,
            "reports": reports,
            "steps": STEPS.values(),
            "can_edit": case.access >= Access.WRITE,
            "may_record": rules.allowed("activity", followup.state),
            "may_report": rules.allowed("report", followup.state),
            "may_close": rules.allowed("close", followup.state),
            "current_phase": next(iter(followup.phases.all()), None),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def step(request, case_pk, pk, step):
    case = get_case(request, case_pk, need=Access.WRITE)
    followup = _followup(case, pk)
    if step not in STEPS:
        raise Http404
    step = STEPS[step]
    form = step.form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_or_explain(
            form,
            lambda: step.save(user=request.user, followup=followup, form=form, request=request),
        ):
            messages.success(request, _("Saved."))
            return redirect("followup:detail", case_pk=case.pk, pk=followup.pk)
    return render(
        request,
        "followup/form.html",
        {"case": case, "form": form, "title": step.title, "followup": followup},
    )


@require_http_methods(["GET", "POST"])
@login_required
def close(request, case_pk, pk):
    case = get_case(request, case_pk, need=Access.WRITE)
    followup = _followup(case, pk)
    form = forms.CloseForm(
        request.POST or None,
        initial={"closed_on": timezone.localdate()},
        version=followup.version,
    )
    if request.method == "POST" and form.is_valid():
        if run_or_explain(
            form,
            lambda: services.followup_close(
                user=request.user, followup=followup, request=request, **form.cleaned_data
            ),
            record=followup,
        ):
            messages.success(request, _("The follow-up was closed."))
            return redirect("followup:detail", case_pk=case.pk, pk=followup.pk)
    return render(
        request,
        "followup/form.html",
        {"case": case, "form": form, "title": _("Close the follow-up"), "followup": followup},
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_form(request, case_pk, pk=None, followup_pk=None):
    """Write a new periodic report, or change a draft; the period's contacts are listed beside it."""
    case = get_case(request, case_pk, need=Access.WRITE)
    if pk is not None:
        report = _report(request, case, pk)
        followup = report.followup
    else:
        followup = _followup(case, followup_pk)
        report = FollowUpReport(followup=followup)
    form = forms.ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        saved = run_or_explain(
            form,
            lambda: services.report_write(
                user=request.user,
                followup=followup,
                report=form.save(commit=False),
                expected_version=form.cleaned_data["expected_version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The report was saved as a draft."))
            return redirect("followup:report", case_pk=case.pk, pk=saved.pk)
    contacts = followup.contacts.filter(held_on__lte=timezone.localdate())
    return render(
        request,
        "followup/report_form.html",
        {"case": case, "form": form, "followup": followup, "contacts": contacts},
    )


@require_safe
@login_required
def report_detail(request, case_pk, pk):
    case = get_case(request, case_pk)
    report = _report(request, case, pk)
    return render(
        request,
        "followup/report.html",
        {
            "case": case,
            "report": report,
            "contacts": report.followup.contacts.filter(
                held_on__range=(report.period_start, report.period_end)
            ),
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
            return redirect("followup:report", case_pk=case.pk, pk=report.pk)
    return render(
        request,
        "followup/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Go through the report with the parent"),
            "followup": report.followup,
        },
    )


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
    return redirect("followup:report", case_pk=case.pk, pk=report.pk)


@require_safe
@login_required
def report_pdf(request, case_pk, pk):
    case = get_case(request, case_pk)
    report = _report(request, case, pk)
    if not report.is_approved:
        refuse(request, case, not_found=True)
    from weasyprint import HTML

    html = render_to_string(
        "followup/report_pdf.html",
        {
            "case": case,
            "report": report,
            "contacts": report.followup.contacts.filter(
                held_on__range=(report.period_start, report.period_end)
            ),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    audit_record(
        user=request.user, action=AuditAction.EXPORT, case_id=case.pk, obj=report, request=request
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rapport-{case.reference}-{report.pk}.pdf"'
    return response


@require_safe
@login_required
def my_week(request):
    if request.user.role != Role.COUNSELLOR:
        raise PermissionDenied
    today = timezone.localdate()
    week = selectors.my_week(request.user, today=today)
    case_ids = sorted(
        {c.followup.case_id for c in (*week["upcoming"], *week["reports_to_review"])}
        | {r.case_id for r in (*week["overdue"], *week["ahead"]) if r.case_id}
    )
    audit_record(user=request.user, action=AuditAction.LIST, object_ids=case_ids, request=request)
    return render(request, "followup/my_week.html", {"today": today, **week})


@require_safe
@login_required
def offers(request):
    """Who has been offered follow-up? For leaders of the unit."""
    if request.user.role not in (Role.SECTION_LEADER, Role.PROGRAMME_LEAD):
        raise PermissionDenied
    rows = selectors.offer_overview(request.user, today=timezone.localdate())
    audit_record(
        user=request.user,
        action=AuditAction.LIST,
        object_ids=sorted({r.case.pk for r in rows}),
        request=request,
    )
    counts = {
        key: sum(1 for r in rows if r.status == key)
        for key in ("never", "offered", "accepted", "declined")
    }
    return render(request, "followup/offers.html", {"rows": rows, "counts": counts})
