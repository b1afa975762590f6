"""«Min uke», kept while the data of the counsellor's cases is unchanged (core.versioning).

The week shows only follow-ups the counsellor is the referral's counsellor for, so its content
is decided by the data of the cases with such a referral: the key holds each of those cases'
data version token (a new or moved referral changes the set, a write to any of them changes a
token) and the cases' epoch, the counsellor, today's date and the language. A counsellor with an access grant in force
or to come is never served kept content (a grant ends at a moment, not with a write). The audit row of each
view lists the cases shown, kept or not.
"""

import hashlib
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string

from sammen.access.models import AccessGrant
from sammen.core.keep import cache_key, kept
from sammen.core.models import CaseVersion
from sammen.core.versioning import EPOCH, case_tokens

from . import selectors
from .models import Referral


@dataclass
class WeekPage:
    html: str
    case_ids: list[int]  # the cases the page shows, for its audit row


def week_page(user, *, today) -> WeekPage:
    return kept(_key(user, today), lambda: (_compute(user, today), None), lambda: _key(user, today))


def _key(user, today) -> str | None:
    """The key of the counsellor's week, or None when it must be computed afresh: a grant in
    force or to come, or a case without a data version yet."""
    if AccessGrant.objects.current_or_coming().filter(user=user).exists():
        return None
    token = CaseVersion.objects.filter(case_id=OuterRef("case_id")).values("token")[:1]
    versions = list(
        Referral.objects.filter(counsellor=user)
        .annotate(token=Subquery(token))
        .values_list("case_id", "token")
        .distinct()
        .order_by("case_id")
    )
    epoch = case_tokens([EPOCH]).get(EPOCH)
    if epoch is None or any(t is None for _, t in versions):
        return None
    digest = hashlib.sha256(repr(versions).encode()).hexdigest()
    return cache_key("followup:week", epoch, digest, user.pk, today.isoformat())


def _compute(user, today) -> WeekPage:
    week = selectors.my_week(user, today=today)
    case_ids = sorted(
        {c.followup.case_id for c in (*week["upcoming"], *week["reports_to_review"])}
        | {r.case_id for r in (*week["overdue"], *week["ahead"]) if r.case_id}
    )
    html = render_to_string("followup/_my_week_body.html", {"today": today, **week})
    return WeekPage(html, case_ids)
