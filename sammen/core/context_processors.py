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
    if user.is_superuser or user.is_administrator:
        items.append((_("Administration"), reverse("admin:index")))
    current = request.path
    return {
        "nav_items": [
            {
                "label": label,
                "url": url,
                "current": current == url or (url != "/" and current.startswith(url)),
            }
            for label, url in items
        ]
    }
