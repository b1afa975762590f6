from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sammen.access.policy import (
    Access,
    can_manage_access,
    can_manage_team,
    can_register_legal_records,
)
from sammen.audit.models import AuditAction
from sammen.audit.selectors import audit_events_for_case, people_in_case_log
from sammen.audit.services import audit_record
from sammen.core.forms import run_or_explain
from sammen.org.models import Role, User

from . import forms, rules, selectors, services
from .access import get_case, get_case_for_access_management, refuse
from .audit_log import describe
from .kinds import KINDS
from .models import TribunalDecision, VisitationRuling

CASE_CREATORS = (Role.CASEWORKER, Role.SECTION_LEADER)
PAGE_SIZE = 25


def _overview_url(case, anchor=""):
    url = reverse("cases:overview", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url


@require_safe
@login_required
def home(request):
    """«Mine saker»: the open cases the signed-in person works on."""
    cases, heading = selectors.my_cases(request.user)
    cases = list(cases[:100])
    audit_record(
        user=request.user,
        action=AuditAction.LIST,
        object_ids=[c.pk for c in cases],
        request=request,
    )
    return render(request, "cases/home.html", {"cases": cases, "heading": heading})


@require_safe
@login_required
def case_list(request):
    data = request.GET.copy()
    data.setdefault("status", "open")
    form = forms.CaseFilterForm(data, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {"status": "open"}
    queryset = selectors.case_list_for(request.user, filters=filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("side"))
    audit_record(
        user=request.user, action=AuditAction.LIST, object_ids=[c.pk for c in page], request=request
    )
    query = data.copy()
    query.pop("side", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": request.user.role in CASE_CREATORS,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def case_create(request):
    if request.user.role not in CASE_CREATORS:
        raise PermissionDenied
    case_form = forms.CaseForm(request.POST or None, user=request.user)
    child_form = forms.ChildForm(request.POST or None)
    if (
        request.method == "POST"
        and case_form.is_valid() & child_form.is_valid()
        and child_form.born_by(case_form.cleaned_data["opened_on"])
    ):
        case = run_or_explain(
            case_form,
            lambda: services.case_create(
                user=request.user,
                case=case_form.save(commit=False),
                child=child_form.save(commit=False),
                request=request,
            ),
        )
        if case is not None:
            messages.success(request, _("The case %(ref)s was opened.") % {"ref": case.reference})
            return redirect(_overview_url(case))
    return render(
        request,
        "cases/case_form.html",
        {"form": case_form, "child_form": child_form, "title": _("New case")},
    )


@require_safe
@login_required
def case_overview(request, case_pk):
    case = get_case(request, case_pk)
    today = timezone.localdate()
    overview = selectors.case_overview(case)
    warnings = rules.case_warnings(
        today=today,
        placements=overview.placements,
        decisions=overview.decisions,
        care_plans=overview.care_plans,
        petition_status=case.petition_status,
    )
    return render(
        request,
        "cases/overview.html",
        {
            "case": case,
            "o": overview,
            "warnings": warnings,
            "today": today,
            "can_edit": case.access >= Access.WRITE,
            "can_manage_access": can_manage_access(request.user, case),
            "can_manage_team": can_manage_team(request.user, case),
            "can_register_legal_records": case.access >= Access.WRITE
            and can_register_legal_records(request.user, case),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def case_edit(request, case_pk):
    case = get_case(request, case_pk, need=Access.WRITE)
    form = forms.CaseForm(request.POST or None, instance=case, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = run_or_explain(
            form,
            lambda: services.case_object_save(
                user=request.user,
                case=case,
                instance=form.save(commit=False),
                expected_version=form.cleaned_data["expected_version"],
                request=request,
            ),
        )
        if saved is not None:
            messages.success(request, _("The case was saved."))
            return redirect(_overview_url(case))
    return render(
        request, "cases/record_form.html", {"form": form, "case": case, "title": _("Edit case")}
    )


@require_http_methods(["GET", "POST"])
@login_required
def record_form(request, case_pk, kind, pk=None, decision_pk=None):
    """Add or edit one record of a case: a person, placement, decision, ruling or plan."""
    case = get_case(request, case_pk, need=Access.WRITE)
    kind = KINDS[kind]
    if kind.legal_record and not can_register_legal_records(request.user, case):
        refuse(request, case)
    if pk is not None:
        instance = get_object_or_404(kind.queryset(case), pk=pk)
    else:
        instance = kind.model(case=case) if kind.case_path == "case" else kind.model()
        if decision_pk is not None:
            instance.decision = get_object_or_404(TribunalDecision, pk=decision_pk, case=case)
    form = kind.form_class(request.POST or None, instance=instance, case=case)
    if request.method == "POST" and form.is_valid():

        def save():
            # Each change of a legal record is a new version, with why.
            if kind.slug == "decision":
                return services.decision_save(
                    user=request.user,
                    case=case,
                    decision=form.save(commit=False),
                    reason=form.cleaned_data.get("reason", ""),
                    expected_version=form.cleaned_data.get("expected_version"),
                    request=request,
                )
            if kind.slug == "ruling":
                return services.ruling_save(
                    user=request.user,
                    case=case,
                    ruling=form.save(commit=False),
                    reason=form.cleaned_data.get("reason", ""),
                    expected_version=form.cleaned_data.get("expected_version"),
                    request=request,
                )
            return services.case_object_save(
                user=request.user,
                case=case,
                instance=form.save(commit=False),
                expected_version=form.cleaned_data.get("expected_version"),
                request=request,
            )

        saved = run_or_explain(form, save)
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(_overview_url(case, kind.anchor))
    title = kind.edit_title if pk is not None else kind.add_title
    return render(request, "cases/record_form.html", {"form": form, "case": case, "title": title})


@require_safe
@login_required
def ruling_history(request, case_pk, pk):
    """Every version of a visitation ruling, newest first, with who changed it, when and why."""
    case = get_case(request, case_pk)
    ruling = get_object_or_404(
        VisitationRuling.objects.select_related("decision", "visitor"), pk=pk, decision__case=case
    )
    versions = list(ruling.versions.select_related("made_by", "visitor").order_by("-number"))
    return render(
        request,
        "cases/ruling_history.html",
        {
            "case": case,
            "ruling": ruling,
            "versions": versions,
            "can_change": case.access >= Access.WRITE
            and can_register_legal_records(request.user, case),
        },
    )


@require_safe
@login_required
def decision_history(request, case_pk, pk):
    """Every version of a tribunal decision, newest first, with who changed it, when and why."""
    case = get_case(request, case_pk)
    decision = get_object_or_404(TribunalDecision, pk=pk, case=case)
    versions = list(decision.versions.select_related("made_by", "legal_basis").order_by("-number"))
    return render(
        request,
        "cases/decision_history.html",
        {
            "case": case,
            "decision": decision,
            "versions": versions,
            "can_change": case.access >= Access.WRITE
            and can_register_legal_records(request.user, case),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def team_edit(request, case_pk):
    case = get_case(request, case_pk, need=Access.WRITE)
    if not can_manage_team(request.user, case):
        refuse(request, case)
    form = forms.TeamForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        saved = run_or_explain(
            form,
            lambda: services.team_update(
                user=request.user,
                case=case,
                caseworker=form.cleaned_data["caseworker"],
                counsellors=form.cleaned_data["counsellors"],
                expected_version=form.cleaned_data["expected_version"],
                request=request,
            ),
        )
        if saved is not None:
            messages.success(request, _("The team was saved."))
            return redirect(_overview_url(case, "team"))
    return render(
        request, "cases/record_form.html", {"form": form, "case": case, "title": _("Case team")}
    )


@require_http_methods(["GET", "POST"])
@login_required
def grants(request, case_pk):
    case = get_case_for_access_management(request, case_pk)
    form = forms.GrantForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        services.grant_create(
            user=request.user, case=case, grant=form.save(commit=False), request=request
        )
        messages.success(request, _("Access was granted."))
        return redirect("cases:grants", case_pk=case.pk)
    grant_list = case.grants.select_related("user", "granted_by").order_by("-created_at")
    return render(request, "cases/grants.html", {"case": case, "form": form, "grants": grant_list})


@require_POST
@login_required
def grant_revoke(request, case_pk, pk):
    case = get_case_for_access_management(request, case_pk)
    grant = get_object_or_404(case.grants, pk=pk, revoked_at__isnull=True)
    try:
        with transaction.atomic():
            services.grant_revoke(user=request.user, grant=grant, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Access was revoked."))
    return redirect("cases:grants", case_pk=case.pk)


@require_safe
@login_required
def audit_log(request, case_pk):
    """Who has looked at or changed the case: for the section leader."""
    case = get_case_for_access_management(request, case_pk)
    people = User.objects.filter(pk__in=people_in_case_log(case.pk)).order_by(
        "first_name", "last_name"
    )
    form = forms.AuditFilterForm(request.GET or None, people=people)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = audit_events_for_case(
        case.pk,
        user_id=chosen["who"].pk if chosen.get("who") else None,
        start=chosen.get("start"),
        end=chosen.get("end"),
    )
    page = Paginator(events, 50).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "cases/audit_log.html",
        {
            "case": case,
            "page": page,
            "rows": describe(page.object_list),
            "form": form,
            "query": query.urlencode(),
        },
    )
