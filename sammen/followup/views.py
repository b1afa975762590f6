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
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sammen.access.policy import Access, case_access
from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record
from sammen.cases.access import get_case, refuse
from sammen.cases.review import may_see, report_actions
from sammen.cases.review_forms import ReviewForm
from sammen.cases.rules import lifting_decision_for
from sammen.core.forms import run_button, run_or_explain
from sammen.org.models import Role

from . import forms, rules, selectors, services
from .models import Contact, FollowUp, FollowUpReport, Referral
from .steps import AFTERCARE_STEPS, STEPS


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


# The query parameter naming a parent of the case to refer (from the offers overview).
PRESELECT = "forelder"


def _preselect_parent(form, value: str) -> None:
    """Tick the parent `value` names in the referral form, if it is a parent of this case (the
    form's choices); anything else is ignored."""
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        return
    if form.fields["parents"].queryset.filter(pk=int(value)).exists():
        form.initial["parents"] = [int(value)]


@require_http_methods(["GET", "POST"])
@login_required
def refer(request, case_pk):
    case = get_case(request, case_pk, need=Access.WRITE)
    if request.user.role not in (Role.CASEWORKER, Role.SECTION_LEADER):
        refuse(request, case)
    form = forms.ReferralForm(request.POST or None, case=case)
    if request.method == "GET":
        _preselect_parent(form, request.GET.get(PRESELECT, ""))
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


def _aftercare_box(followup: FollowUp, today) -> dict | None:
    """What the detail page says about aftercare (bvl. § 8-7), or None when it has nothing to
    say: from the lifting decision, until when, the provision, and the days left."""
    if followup.state != "closed" or followup.closure_reason != "reunified":
        return None
    lifting = followup.lifting_decision
    box = {"lifting": lifting, "until": followup.aftercare_until, "law": ""}
    if lifting is None or followup.aftercare_until is None:
        return box
    box["law"] = services.legal_reference_text("followup.after_lifting")
    box["lasts"] = followup.aftercare_lasts(today)
    box["days_left"] = (followup.aftercare_until - today).days if box["lasts"] else None
    return box


@require_safe
@login_required
def detail(request, case_pk, pk):
    case = get_case(request, case_pk)
    followup = selectors.followup_detail(_followup(case, pk))
    reports = list(followup.reports.all())
    reports = [r for r in reports if may_see(request.user, case, r)]
    today = timezone.localdate()
    in_aftercare = followup.aftercare_lasts(today)
    steps = STEPS.values()
    if in_aftercare:
        steps = [s for s in steps if s.slug in AFTERCARE_STEPS]
    return render(
        request,
        "followup/detail.html",
        {
            "case": case,
            "f": followup,
            "reports": reports,
            "contacts": selectors.contacts_with_history(followup),
            "steps": steps,
            "can_edit": case.access >= Access.WRITE,
            "show_record": followup.state != "closed" or in_aftercare,
            "may_record": rules.allowed("activity", followup.state) or in_aftercare,
            "may_report": rules.allowed("report", followup.state) or in_aftercare,
            "may_close": rules.allowed("close", followup.state),
            "aftercare": _aftercare_box(followup, today),
            "today": today,
            "current_phase": next(iter(followup.phases.all()), None),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def contact_edit(request, case_pk, pk):
    """Correct a recorded contact, saying why; the earlier version is kept and shown."""
    case = get_case(request, case_pk, need=Access.WRITE)
    contact = get_object_or_404(
        Contact.objects.select_related("followup__parent", "followup__referral"),
        pk=pk,
        followup__referral__case=case,
    )
    form = forms.ContactCorrectionForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        if run_or_explain(
            form,
            lambda: services.contact_correct(
                user=request.user,
                contact=form.save(commit=False),
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["expected_version"],
                request=request,
            ),
        ):
            messages.success(request, _("The contact was corrected; the earlier version is kept."))
            url = reverse("followup:detail", args=[case.pk, contact.followup_id])
            return redirect(f"{url}#contact-{contact.pk}")
    return render(
        request,
        "followup/form.html",
        {
            "case": case,
            "form": form,
            "title": _("Correct the contact"),
            "followup": contact.followup,
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


def _aftercare_note(case) -> str:
    """The close form's note on aftercare: how long it may last after the lifting decision
    registered in the case, or that there is none."""
    lifting = lifting_decision_for(list(case.decisions.all()), timezone.localdate())
    law = services.legal_reference_text("followup.after_lifting")
    if lifting is None:
        return _(
            "No decision lifting a care order is registered in the case: closing because the "
            "child has moved home then gives no aftercare. Leave the date empty."
        )
    values = {
        "lifted": rules.dmy(lifting.decided_on),
        "latest": rules.dmy(rules.after_lifting_until(lifting.decided_on)),
        "law": law,
    }
    if rules.after_lifting_until(lifting.decided_on) < timezone.localdate():
        return (
            _(
                "Aftercare after the decision of %(lifted)s lifting the care order ended on "
                "%(latest)s: closing because the child has moved home now gives no aftercare. "
                "Leave the date empty."
            )
            % values
        )
    if law:
        return (
            _(
                "The care order was lifted on %(lifted)s: aftercare can last until %(latest)s at "
                "the latest (%(law)s). Leave the date empty for that date."
            )
            % values
        )
    return (
        _(
            "The care order was lifted on %(lifted)s: aftercare can last until %(latest)s at "
            "the latest. Leave the date empty for that date."
        )
        % values
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
    # What the case's decisions allow: until when aftercare may last, or that there is none.
    form.fields["aftercare_until"].help_text = _aftercare_note(case)
    if request.method == "POST" and form.is_valid():
        if run_or_explain(
            form,
            lambda: services.followup_close(
                user=request.user, followup=followup, request=request, **form.cleaned_data
            ),
            record=followup,
        ):
            messages.success(request, _("The follow-up was closed."))
            if followup.closure_reason == "reunified" and not followup.lifting_decision_id:
                messages.info(
                    request,
                    _(
                        "No care order was lifted in this case, so the follow-up has no "
                        "aftercare after a lifting decision."
                    ),
                )
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


@require_POST
@login_required
def report_delete(request, case_pk, pk):
    """Delete a draft report (the button on the report's page, with the version it showed)."""
    case = get_case(request, case_pk, need=Access.WRITE)
    report = _report(request, case, pk)
    followup_pk = report.followup_id
    if run_button(
        request,
        lambda version: services.report_delete(
            user=request.user, report=report, expected_version=version, request=request
        ),
        _("The draft report was deleted."),
    ):
        return redirect("followup:detail", case_pk=case.pk, pk=followup_pk)
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
    try:  # ?uke=YYYY-MM-DD: the week of that day; anything else, the next seven days
        asked = datetime.strptime(request.GET.get("uke", ""), "%Y-%m-%d").date()  # noqa: DTZ007
    except ValueError:
        asked = None
    first, _end = selectors.week_window(today, asked)
    week = selectors.my_week(request.user, today=today, first=first)
    case_ids = sorted(
        {c.followup.case_id for c in (*week["upcoming"], *week["reports_to_review"])}
        | {f.case_id for f in week["new_families"]}
        | {s.plan.case_id for s in week["visits"]}
        | {r.case_id for r in (*week["overdue"], *week["ahead"]) if r.case_id}
    )
    audit_record(user=request.user, action=AuditAction.LIST, object_ids=case_ids, request=request)
    monday = first - timedelta(days=first.weekday())
    return render(
        request,
        "followup/my_week.html",
        {
            "today": today,
            "this_week": first == today,
            "week_number": first.isocalendar().week,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            **week,
        },
    )


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
    referable = _referable_case_ids(request.user, [r.case for r in rows if r.status == "never"])
    for r in rows:
        r.refer_url = (
            f"{reverse('followup:refer', args=[r.case.pk])}?{PRESELECT}={r.parent.pk}"
            if r.status == "never" and r.case.pk in referable
            else ""
        )
    return render(request, "followup/offers.html", {"rows": rows, "counts": counts})


def _referable_case_ids(user, cases) -> set[int]:
    """The cases among `cases` whose parents `user` may refer (the `refer` view's test: a
    caseworker or section leader who may change the case). The team's way in is read from the
    case as the policy reads it; any other case is asked of the policy (a grant, rarely)."""
    if user.role not in (Role.CASEWORKER, Role.SECTION_LEADER):
        return set()
    ids = set()
    for case in {c.pk: c for c in cases}.values():
        own = case.caseworker_id == user.pk or (
            user.role == Role.SECTION_LEADER and case.section_id == user.section_id
        )
        if own or case_access(user, case) >= Access.WRITE:
            ids.add(case.pk)
    return ids
