from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record
from sammen.core.forms import run_or_explain
from sammen.org.models import Role

from . import costs, drilldown, exports, figures, selectors, services
from .forms import FilterForm, RatesForm
from .selectors import Scope


def _leader(user):
    """Section leaders (their section) and programme leads (their unit); others are refused."""
    if user.role not in (Role.SECTION_LEADER, Role.PROGRAMME_LEAD) or not user.unit_id:
        raise PermissionDenied


def _scope(request, today=None):
    """The filter form and the scope it gives; a bad filter keeps the defaults and shows errors."""
    today = today or timezone.localdate()
    form = FilterForm(request.GET or None, user=request.user, today=today)
    data = form.cleaned_data if form.is_bound and form.is_valid() else None
    if data is None:
        blank = FilterForm({}, user=request.user, today=today)
        blank.is_valid()
        data = blank.cleaned_data
    scope = Scope(
        user=request.user,
        unit_id=request.user.unit_id,
        section_id=data["section"].pk if data.get("section") else None,
        counsellor_id=data["counsellor"].pk if data.get("counsellor") else None,
        start=data["start"],
        end=data["end"],
        today=today,
    )
    return form, scope, data


def _heading(request, data) -> list[str]:
    return [
        str(request.user.unit),
        str(data.get("section") or _("All sections")),
        str(data.get("counsellor") or _("All counsellors")),
        f"{data['start']:%d.%m.%Y}–{data['end']:%d.%m.%Y}",
    ]


AFRESH = "naa"  # the query parameter of "compute the figures again now"


def _dashboard(request) -> figures.Dashboard:
    """The dashboard for the request's filters; its figures as kept (at most five minutes old),
    or computed now when asked for."""
    form, scope, data = _scope(request)
    heading = _heading(request, data)
    filters = render_to_string(
        "insights/_filters.html",
        {"form": form, "heading": heading, "with_counsellor": True},
        request=request,
    )
    kept = figures.figures_for(scope, afresh=AFRESH in request.GET)
    return figures.Dashboard(kept, filters, heading, scope.start, scope.end)


@require_safe
@login_required
def dashboard_view(request):
    _leader(request.user)
    audit_record(user=request.user, action=AuditAction.LIST, request=request)
    query = request.GET.copy()
    query.pop(AFRESH, None)
    page = _dashboard(request)
    return render(
        request,
        "insights/dashboard.html",
        {
            "page": page,
            "query": query.urlencode(),
            "afresh": AFRESH,
            "kept_minutes": figures.KEPT_SECONDS // 60,
        },
    )


@require_safe
@login_required
def drilldown_view(request, figure, row=""):
    """The cases behind a figure of the dashboard (or one of its rows), for the same filters,
    read through the same scope: exactly what the figure counts. Computed on every request
    (personal data is never kept); the cases shown are audit-logged."""
    _leader(request.user)
    form, scope, data = _scope(request)
    drill = drilldown.drill(scope, figure, row)
    audit_record(
        user=request.user, action=AuditAction.LIST, object_ids=drill.case_ids, request=request
    )
    heading = _heading(request, data)
    query = figures.drill_query(scope)
    return render(
        request,
        "insights/drilldown.html",
        {
            "drill": drill,
            "filters": render_to_string(
                "insights/_filters.html",
                {"form": form, "heading": heading, "with_counsellor": True},
                request=request,
            ),
            "back": f"{reverse('insights:dashboard')}?{query}#h-{figure}",
        },
    )


@require_safe
@login_required
def export(request, fmt):
    """The dashboard's figures as a file; the export is audit-logged."""
    _leader(request.user)
    page = _dashboard(request)
    tables, heading = page.figures.tables, page.heading
    audit_record(user=request.user, action=AuditAction.EXPORT, request=request)
    stamp = f"{page.start:%Y%m%d}-{page.end:%Y%m%d}"
    if fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(tables, heading=heading),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            exports.to_csv(tables, heading=heading), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="styringstall-{stamp}.{fmt}"'
    return response


@require_safe
@login_required
def cost_view(request):
    """Own staff against private providers for the logged time, with inputs and formula."""
    _leader(request.user)
    form, scope, data = _scope(request)
    rates = services.rates_for(request.user.unit)
    inputs = selectors.cost_inputs(scope)
    rate = costs.Rates(
        rates.private_hourly, rates.private_per_km, rates.own_hourly, rates.own_per_km
    )
    comparison = costs.Comparison(
        hours=inputs["hours"] or 0,
        km=inputs["km"] or 0,
        cases=inputs["cases"] or 0,
        months=costs.calendar_months(scope.start, scope.end),
        rates=rate,
        budget=rates.budget_amount,
        budget_months=rates.budget_months,
    )
    audit_record(user=request.user, action=AuditAction.LIST, request=request)
    return render(
        request,
        "insights/costs.html",
        {
            "form": form,
            "c": comparison,
            "rates": rates,
            "heading": _heading(request, data),
            "evaluation": costs.evaluation_rows(),
            "may_edit": _may_edit_rates(request.user),
        },
    )


def _may_edit_rates(user) -> bool:
    return user.role in (Role.SECTION_LEADER, Role.PROGRAMME_LEAD) and bool(user.unit_id)


@require_http_methods(["GET", "POST"])
@login_required
def rates_view(request):
    """A leader of the unit changes the rates and the project budget."""
    _leader(request.user)
    rates = services.rates_for(request.user.unit)
    form = RatesForm(request.POST or None, instance=rates)
    if request.method == "POST" and form.is_valid():
        saved = run_or_explain(
            form,
            lambda: services.rates_save(
                user=request.user,
                rates=form.save(commit=False),
                expected_version=form.cleaned_data.get("expected_version"),
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The rates were saved."))
            return redirect("insights:costs")
    return render(request, "insights/rates.html", {"form": form})
