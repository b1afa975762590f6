"""The case overview's content, kept while the case's data is unchanged (core.versioning).

Everything the overview shows comes from the case's own rows and the rows they point to, so the
case's data version token (and the cases' epoch), the viewer's rights on the case, today's date and the language decide
the content. The list of temporary access grants also changes with the clock (a grant starts or
ends at a moment), so content is kept no longer than the next such moment. The access check and
the audit row of every view happen before, in `get_case`, whether the content is kept or not.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from sammen.access.policy import Access, can_manage_access, can_manage_team
from sammen.core.keep import cache_key, kept
from sammen.core.versioning import EPOCH, case_tokens

from . import rules, selectors


@dataclass
class OverviewPage:
    title: str
    html: str


def overview_page(case, *, user) -> OverviewPage:
    """The rendered overview of `case` (fetched with `get_case`) for `user`."""
    rights = {
        "can_edit": case.access >= Access.WRITE,
        "can_manage_access": can_manage_access(user, case),
        "can_manage_team": can_manage_team(user, case),
    }
    today = timezone.localdate()

    def key(versions) -> str | None:
        if None in versions:
            return None
        return cache_key("cases:overview", *versions, case.pk, *rights.values(), today.isoformat())

    def key_now():
        tokens = case_tokens([case.pk, EPOCH])
        return key((tokens.get(case.pk), tokens.get(EPOCH)))

    # `get_case` read the case's token and the epoch with the case.
    first = key((getattr(case, "data_token", None), getattr(case, "data_epoch", None)))
    return kept(first, lambda: _compute(case, rights, today), key_now)


def _compute(case, rights: dict, today):
    overview = selectors.case_overview(case)
    warnings = rules.case_warnings(
        today=today,
        placements=overview.placements,
        decisions=overview.decisions,
        care_plans=overview.care_plans,
        petition_status=case.petition_status,
    )
    context = {"case": case, "o": overview, "warnings": warnings, "today": today, **rights}
    child = overview.child
    page = OverviewPage(
        title=f"{child.full_name} {case.reference}" if child else case.reference,
        html=render_to_string("cases/_overview_body.html", context),
    )
    return page, overview.grants_change_at
