from django.urls import reverse
from django.utils.translation import gettext as _


def navigation(request):
    """The main menu for the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        (_("My cases"), reverse("cases:home")),
        (_("Case list"), reverse("cases:list")),
        (_("Follow-up"), reverse("followup:overview")),
        (_("Placement places"), reverse("cases:place_list")),
    ]
    if user.role == "counsellor":
        items.insert(1, (_("My week"), reverse("followup:my_week")))
        items.insert(2, (_("Visit calendar"), reverse("visits:calendar")))
        items.insert(3, (_("Time log"), reverse("timelog:mine")))
    items.append((_("Visit flats"), reverse("visits:flat_list")))
    if user.role in ("section_leader", "programme_lead"):
        items.append((_("Dashboard"), reverse("insights:dashboard")))
    if user.is_superuser or user.is_administrator:
        items.append((_("Administration"), reverse("admin:index")))
    # The menu item whose address is the longest prefix of this page is the current one.
    path = request.path
    matches = [url for _label, url in items if path == url or (url != "/" and path.startswith(url))]
    current = max(matches, key=len, default=None)
    return {
        "nav_items": [
            {"label": label, "url": url, "current": url == current} for label, url in items
        ]
    }
