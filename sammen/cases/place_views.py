"""The unit's register of homes and institutions children are placed in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sammen.audit.models import AuditAction
from sammen.audit.services import audit_record
from sammen.core.forms import run_or_explain
from sammen.org.models import Role

from .forms import PlaceForm
from .models import PlacementPlace

PLACE_EDITORS = (Role.CASEWORKER, Role.SECTION_LEADER, Role.PROGRAMME_LEAD)
PLACE_READERS = (*PLACE_EDITORS, Role.COUNSELLOR)


def _unit_places(user):
    if user.role not in PLACE_READERS or user.unit_id is None:
        raise PermissionDenied
    return PlacementPlace.objects.filter(unit_id=user.unit_id)


@require_safe
@login_required
def place_list(request):
    places = _unit_places(request.user).order_by("-is_active", "name")
    return render(
        request,
        "cases/place_list.html",
        {"places": places, "can_edit": request.user.role in PLACE_EDITORS},
    )


@require_http_methods(["GET", "POST"])
@login_required
def place_form(request, pk=None):
    places = _unit_places(request.user)
    if request.user.role not in PLACE_EDITORS:
        raise PermissionDenied
    instance = (
        get_object_or_404(places, pk=pk) if pk else PlacementPlace(unit_id=request.user.unit_id)
    )
    form = PlaceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():

        def save():
            place = form.save()  # an existing place claims the version the form was opened at
            audit_record(
                user=request.user,
                action=AuditAction.UPDATE if pk else AuditAction.CREATE,
                obj=place,
                request=request,
            )
            return place

        if run_or_explain(form, save):
            messages.success(request, _("The place was saved."))
            return redirect("cases:place_list")
    title = _("Edit placement place") if pk else _("New placement place")
    return render(request, "cases/record_form.html", {"form": form, "title": title})
