"""«Min uke», kept while the data of the counsellor's cases is unchanged (core.versioning).

The week shows only follow-ups the counsellor is the referral's counsellor for, so its content
is decided by the data of the cases with such a referral: the key holds each of those cases'
data version token (a new or moved referral changes the set, a write to any of them changes a
token), the counsellor, today's date and the language. A counsellor with an access grant is
never served kept content (a grant ends at a moment, not with a write). The audit row of each
view lists the cases shown, kept or not.
"""

import hashlib
from dataclasses import dataclass

from django.db.models import Exists
from django.template.loader import render_to_string

from sammen.access.models import AccessGrant
from sammen.core.keep import cache_key, kept
from sammen.core.models import CaseVersion

from . import selectors
from .models import Referral


@dataclass
class WeekPage:
    html: str
    case_ids: list[int]  # the cases the page shows, for its audit row


def week_page(user, *, today) -> WeekPage:
    return kept(_key(user, today), lambda: (_compute(user, today), None))


def _key(user, today) -> str | None:
    rows = list(
        CaseVersion.objects.filter(
            case_id__in=Referral.objects.filter(counsellor=user).values("case_id")
        )
        .annotate(granted=Exists(AccessGrant.objects.filter(user=user)))
        .order_by("case_id")
        .values_list("case_id", "token", "granted")
    )
    if any(granted for *_, granted in rows):
        return None
    versions = hashlib.sha256(repr([(c, t) for c, t, _ in rows]).encode()).hexdigest()
    return cache_key("followup:week", versions, user.pk, today.isoformat())


def _compute(user, today) -> WeekPage:
    week = selectors.my_week(user, today=today)
    case_ids = sorted(
        {c.followup.case_id for c in (*week["upcoming"], *week["reports_to_review"])}
        | {r.case_id for r in (*week["overdue"], *week["ahead"]) if r.case_id}
    )
    html = render_to_string("followup/_my_week_body.html", {"today": today, **week})
    return WeekPage(html, case_ids)
