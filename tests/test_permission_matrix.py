"""A permission matrix generated from the project's whole URLconf.

Every URL pattern is classified in `URL_CATEGORIES` (or, for the admin, by its namespace). Each
category says what a GET answers for each person of the conftest — plus an anonymous visitor
and a superuser — on case_a and on case_b where the URL belongs to a case. A URL nobody has
classified fails `test_every_url_pattern_is_classified`, so a new view cannot slip in unchecked.

Expected answers follow `sammen.access.policy` and the views:
- anonymous → redirect to the login page (the admin: to the admin's login page);
- no access to the case (not in the team, no grant) → 404, so "not yours" looks like "not found";
- read-only access (the programme lead, a read grant) on a URL that changes the case → 403;
- granting access, reading the audit log and choosing the team → the case's section leader only;
- registering or changing a tribunal decision or a visitation ruling (legal records) → the
  case's caseworker and its section leader only: counsellors get 403 even on the team or with a
  grant that may edit, and so do the programme lead and read grants.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from sammen.access.models import AccessGrant
from sammen.audit.models import AuditAction, AuditEvent
from sammen.cases.models import (
    ActionPlan,
    CarePlan,
    Person,
    TribunalDecision,
    VisitationRuling,
)
from sammen.followup.models import Contact, ContactRevision, FollowUp, FollowUpReport, Referral
from sammen.org.models import Role, User
from sammen.timelog.models import TimeEntry

from . import factories as f
from .visits.matrix import add_visit_records, visit_url_kwarg

pytestmark = pytest.mark.django_db

# --- Categories ---------------------------------------------------------------------------

PUBLIC_LOGIN = "public: the login page"
PUBLIC_REDIRECT = "public: answers with a redirect"
POST_ONLY = "POST only"
SIGNED_IN = "any signed-in person"
CASE_CREATE = "opening a case"
CASE_READ = "reading a case"
CASE_WRITE = "changing a case"
TEAM_MANAGE = "choosing the case team"
CASE_MANAGE_ACCESS = "granting access and reading the audit log"
LEGAL_RECORD_WRITE = "registering or changing a tribunal decision or a visitation ruling"
PLACE_READ = "reading the register of places"
PLACE_WRITE = "changing the register of places"
PUBLIC_BY_TOKEN = "public: a secret token in the address (a wrong token gives 404)"
PUBLIC_HEALTH = "public: the load balancer's health check (no personal data; tests/ops)"
# sammen.signin: the matrix runs with no identity provider configured, so both answer 404;
# tests/oidc runs them against a real provider.
PUBLIC_SIGNIN_PROVIDER = "public: sign-in through an identity provider (none configured here)"
ADMIN = "the admin site"
ADMIN_LOGIN = "the admin's login page"
ADMIN_LOGOUT = "signing out of the admin"
COUNSELLOR_ONLY = "a family counsellor's own page"
OWN_TIME_ENTRY = "a family counsellor's own time entry (ola's, on case_a)"
LEADER_ONLY = "a page for section leaders and the programme lead"
REFERRAL_CREATE = "referring parents of a case"
REFERRAL_DECIDE = "approving or returning a referral"
REFERRAL_ASSIGN = "assigning a referral to a counsellor"

# THE classification: every named URL of the project, by its full name.
URL_CATEGORIES = {
    "login": PUBLIC_LOGIN,
    "logout": POST_ONLY,
    "signin:staff_begin": PUBLIC_SIGNIN_PROVIDER,
    "signin:staff_callback": PUBLIC_SIGNIN_PROVIDER,
    "set_language": PUBLIC_REDIRECT,
    "health": PUBLIC_HEALTH,
    "core:floor": SIGNED_IN,
    "core:language": POST_ONLY,
    "core:session_renew": POST_ONLY,
    "cases:home": SIGNED_IN,
    "cases:list": SIGNED_IN,
    "cases:create": CASE_CREATE,
    "cases:overview": CASE_READ,
    "cases:edit": CASE_WRITE,
    "cases:team": TEAM_MANAGE,
    "cases:grants": CASE_MANAGE_ACCESS,
    "cases:grant_revoke": POST_ONLY,
    "cases:audit_log": CASE_MANAGE_ACCESS,
    "cases:person_add": CASE_WRITE,
    "cases:person_edit": CASE_WRITE,
    "cases:placement_add": CASE_WRITE,
    "cases:placement_edit": CASE_WRITE,
    "cases:decision_add": LEGAL_RECORD_WRITE,
    "cases:decision_edit": LEGAL_RECORD_WRITE,
    "cases:decision_history": CASE_READ,
    "cases:ruling_add": LEGAL_RECORD_WRITE,
    "cases:ruling_edit": LEGAL_RECORD_WRITE,
    "cases:ruling_history": CASE_READ,
    "cases:careplan_add": CASE_WRITE,
    "cases:careplan_edit": CASE_WRITE,
    "cases:actionplan_add": CASE_WRITE,
    "cases:actionplan_edit": CASE_WRITE,
    "cases:place_list": PLACE_READ,
    "cases:place_add": PLACE_WRITE,
    "cases:place_edit": PLACE_WRITE,
    "followup:overview": SIGNED_IN,
    "followup:my_week": COUNSELLOR_ONLY,
    "followup:offers": LEADER_ONLY,
    "followup:refer": REFERRAL_CREATE,
    "followup:referral_edit": CASE_WRITE,
    "followup:referral_decide": REFERRAL_DECIDE,
    "followup:referral_assign": REFERRAL_ASSIGN,
    "followup:detail": CASE_READ,
    "followup:close": CASE_WRITE,
    "followup:step": CASE_WRITE,
    "followup:report_add": CASE_WRITE,
    "followup:report": CASE_READ,
    "followup:report_edit": CASE_WRITE,
    "followup:report_review": CASE_WRITE,
    "followup:report_approve": POST_ONLY,
    "followup:report_pdf": CASE_READ,
    "followup:report_delete": POST_ONLY,
    "followup:contact_edit": CASE_WRITE,
    "timelog:mine": COUNSELLOR_ONLY,
    "timelog:add": COUNSELLOR_ONLY,
    "timelog:edit": OWN_TIME_ENTRY,
    "timelog:delete": POST_ONLY,
    "insights:dashboard": LEADER_ONLY,
    "insights:export_xlsx": LEADER_ONLY,
    "insights:export_csv": LEADER_ONLY,
    "insights:drilldown": LEADER_ONLY,
    "insights:drilldown_row": LEADER_ONLY,
    "insights:costs": LEADER_ONLY,
    "insights:rates": LEADER_ONLY,
    "visits:calendar": SIGNED_IN,
    "visits:calendar_token_renew": POST_ONLY,
    "visits:ical": PUBLIC_BY_TOKEN,
    "visits:flat_list": PLACE_READ,
    "visits:flat_calendar": PLACE_READ,
    "visits:flat_add": PLACE_WRITE,
    "visits:flat_edit": PLACE_WRITE,
    "visits:plan": CASE_READ,
    "visits:plan_pdf": CASE_READ,
    "visits:session": CASE_READ,
    "visits:report": CASE_READ,
    "visits:report_pdf": CASE_READ,
    "visits:plan_add": CASE_WRITE,
    "visits:plan_revise": CASE_WRITE,
    "visits:generate": CASE_WRITE,
    "visits:session_add": CASE_WRITE,
    "visits:session_move": CASE_WRITE,
    "visits:session_record": CASE_WRITE,
    "visits:session_cancel": CASE_WRITE,
    "visits:expense_add": CASE_WRITE,
    "visits:report_add": CASE_WRITE,
    "visits:report_edit": CASE_WRITE,
    "visits:report_review": CASE_WRITE,
    "visits:report_approve": POST_ONLY,
    "visits:report_delete": POST_ONLY,
    # The admin's own door: shown to anyone (the signed-in non-staff are told they lack access).
    "admin:login": ADMIN_LOGIN,
    "admin:logout": ADMIN_LOGOUT,
}

# Whole namespaces classified at once (their URLs, named or not, come from a third party).
NAMESPACE_CATEGORIES = {"admin": ADMIN}

CASE_CATEGORIES = {
    CASE_READ,
    CASE_WRITE,
    TEAM_MANAGE,
    CASE_MANAGE_ACCESS,
    LEGAL_RECORD_WRITE,
    REFERRAL_CREATE,
    REFERRAL_DECIDE,
    REFERRAL_ASSIGN,
}

# --- Who may do what (written out, not computed from the policy under test) ----------------

PEOPLE = ["kari", "ola", "per", "siri", "sven", "pia", "adam", "cato"]
ANONYMOUS = "anonymous"
SUPERUSER = "root"  # staff and superuser, role administrator: runs the admin, sees no case
EVERYONE = [*PEOPLE, ANONYMOUS, SUPERUSER]

NONE, READ, WRITE = "none", "read", "write"
CASE_ACCESS = {
    "case_a": {"kari": WRITE, "ola": WRITE, "siri": WRITE, "pia": READ},
    "case_b": {"cato": WRITE, "sven": WRITE, "pia": READ},
}
SECTION_LEADER_OF = {"case_a": "siri", "case_b": "sven"}
CASEWORKER_OF = {"case_a": "kari", "case_b": "cato"}
# Who registers and changes the case's legal records: its caseworker and its section leader.
LEGAL_RECORD_KEEPERS = {
    label: {CASEWORKER_OF[label], SECTION_LEADER_OF[label]} for label in CASE_ACCESS
}
CASE_CREATORS = {"kari", "cato", "siri", "sven"}
PLACE_READERS = {"kari", "ola", "per", "siri", "sven", "pia", "cato"}
PLACE_WRITERS = {"kari", "siri", "sven", "pia", "cato"}
COUNSELLORS = {"ola", "per"}
LEADERS = {"siri", "sven", "pia"}
REFERRERS = {"kari", "cato", "siri", "sven"}  # caseworkers and section leaders
PROGRAMME_LEADS = {"pia"}

# Expected answers: an HTTP status, or one of these labels.
TO_LOGIN = "redirect to login"
TO_ADMIN_LOGIN = "redirect to admin login"
ADMITTED = "admitted (not sent to the admin login, no server error)"


def expected_answer(category, who, *, access=NONE, manages=False, keeps_records=False):
    """What a GET answers `who` for a URL of `category`; `access` is their access to its case,
    `manages`: they are its section leader, `keeps_records`: its caseworker or section leader."""
    if category == POST_ONLY:
        return 405
    if category == PUBLIC_REDIRECT:
        return 302
    if category == PUBLIC_BY_TOKEN:
        return 404  # the matrix knows no token; test_a_wrong_token_gives_404 covers the rest
    if category == PUBLIC_HEALTH:
        return 200  # the same tiny answer for everyone, signed in or not
    if category == PUBLIC_SIGNIN_PROVIDER:
        return 404
    if category == PUBLIC_LOGIN:
        return 200 if who == ANONYMOUS else 302  # the signed-in are sent on to their home page
    if category == ADMIN:
        return ADMITTED if who == SUPERUSER else TO_ADMIN_LOGIN
    if category == ADMIN_LOGIN:
        return 302 if who == SUPERUSER else 200  # staff are sent on to the admin's index
    if category == ADMIN_LOGOUT:
        return 405 if who == SUPERUSER else 302  # POST only; the rest are sent to the index
    if who == ANONYMOUS:
        return TO_LOGIN
    if category == SIGNED_IN:
        return 200
    if category == CASE_CREATE:
        return 200 if who in CASE_CREATORS else 403
    if category == PLACE_READ:
        return 200 if who in PLACE_READERS else 403
    if category == PLACE_WRITE:
        return 200 if who in PLACE_WRITERS else 403
    if category == COUNSELLOR_ONLY:
        return 200 if who in COUNSELLORS else 403
    if category == LEADER_ONLY:
        return 200 if who in LEADERS else 403
    if category == OWN_TIME_ENTRY:
        return 200 if who == "ola" else 404 if who in COUNSELLORS else 403
    if access == NONE:
        return 404
    if category == CASE_READ:
        return 200
    if category == CASE_WRITE:
        return 200 if access == WRITE else 403
    if category in (TEAM_MANAGE, CASE_MANAGE_ACCESS):
        return 200 if manages else 403
    if category == LEGAL_RECORD_WRITE:
        return 200 if access == WRITE and keeps_records else 403
    if category == REFERRAL_CREATE:
        return 200 if access == WRITE and who in REFERRERS else 403
    if category == REFERRAL_DECIDE:
        return 200 if access == WRITE and manages else 403
    if category == REFERRAL_ASSIGN:
        return 200 if who in PROGRAMME_LEADS else 403
    raise AssertionError(f"no expectations written for category {category!r}")


def observed_answer(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return TO_ADMIN_LOGIN
        if location.startswith(resolve_url(settings.LOGIN_URL) + "?"):
            return TO_LOGIN
    return response.status_code


def answer_matches(expected, response):
    observed = observed_answer(response)
    if expected == ADMITTED:
        return observed != TO_ADMIN_LOGIN and response.status_code < 500
    return observed == expected


# --- Walking the URLconf ------------------------------------------------------------------


@dataclass
class Route:
    key: str  # "cases:overview", or "admin:<unnamed (?P<url>.*)$>" for an unnamed pattern
    namespace: str
    pattern: URLPattern
    parent: URLResolver
    prefix: str  # the URL prefix of the resolver the pattern lives in, e.g. "/admin/"
    kwargs: list[str] = field(default_factory=list)

    @property
    def category(self):
        if self.key in URL_CATEGORIES:
            return URL_CATEGORIES[self.key]
        top = self.namespace.split(":")[0]
        return NAMESPACE_CATEGORIES.get(top)

    def url(self, **kwargs):
        if self.pattern.name:
            return reverse(self.key, kwargs=kwargs)
        # An unnamed pattern is reversed by its view through the resolver it lives in.
        return self.parent._reverse_with_prefix(self.pattern.callback, self.prefix, **kwargs)


def walk(resolver, namespace=(), prefix="/"):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespace, entry.namespace) if entry.namespace else namespace
            yield from walk(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            ns = ":".join(namespace)
            name = entry.name or f"<unnamed {entry.pattern}>"
            yield Route(
                key=f"{ns}:{name}" if ns else name,
                namespace=ns,
                pattern=entry,
                parent=resolver,
                prefix=prefix,
                kwargs=sorted(entry.pattern.regex.groupindex),
            )


def all_routes():
    return list(walk(get_resolver()))


# --- The world the matrix runs in ---------------------------------------------------------


@dataclass
class CaseRecords:
    case: object
    objects: dict  # kind → an object of that kind in the case, keyed like the URL names


def records_of(case, *, grantee, granted_by):
    child = Person.objects.get(case=case, relation="child")
    parent = Person.objects.filter(case=case).exclude(pk=child.pk).first() or f.make_parent(case)
    placement = case.placements.first()
    decision = TribunalDecision.objects.create(
        case=case, decided_on=date(2025, 1, 20), kind="care_order"
    )
    return CaseRecords(
        case=case,
        objects={
            "person": child,
            "placement": placement,
            "decision": decision,
            "ruling": VisitationRuling.objects.create(
                decision=decision,
                visitor=parent,
                visits=1,
                period_length=2,
                period_unit="month",
                min_hours=2,
                supervision="supervised",
            ),
            "careplan": CarePlan.objects.create(
                case=case, kind="preliminary", decision=decision, made_on=date(2025, 2, 1)
            ),
            "actionplan": ActionPlan.objects.create(
                case=case, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31), goals="Trygghet"
            ),
            **followup_records(case, parent),
            # Held by someone outside the matrix, so nobody's access changes.
            "grant": AccessGrant.objects.create(
                case=case,
                user=grantee,
                granted_by=granted_by,
                reason="Ferievikar",
                valid_until=timezone.now() + timedelta(days=7),
            ),
        },
    )


def followup_records(case, parent):
    """A referral of the parent with an active follow-up, an approved report and a contact
    corrected once."""
    referral = Referral.objects.create(
        case=case,
        referred_by=case.caseworker,
        referred_on=date(2025, 3, 1),
        order="guidance",
        goals="Trygg kontakt",
    )
    followup = FollowUp.objects.create(
        referral=referral, parent=parent, state="active", started_on=date(2025, 3, 10)
    )
    report = FollowUpReport.objects.create(
        followup=followup,
        period_start=date(2025, 3, 10),
        period_end=date(2025, 6, 10),
        summary="Samtaler",
        written_by=case.caseworker,
        state="approved",
        reviewed_on=date(2025, 6, 12),
        parent_agreement="agrees",
    )
    contact = Contact.objects.create(
        followup=followup,
        held_on=date(2025, 4, 1),
        with_whom="parent",
        place="office",
        method="conversation",
        minutes=60,
        notes="Samtale",
        recorded_by=case.caseworker,
    )
    ContactRevision.of(contact, reason="Feil lengde", corrected_by=case.caseworker).save()
    return {"referral": referral, "followup": followup, "report": report, "contact": contact}


@pytest.fixture
def world(people, unit, section_a, case_a, case_b, place):
    root = User.objects.create_superuser(
        username=SUPERUSER, password=f.PASSWORD, role=Role.ADMINISTRATOR, unit=unit
    )
    stand_in = f.make_user("vikar", Role.CASEWORKER, unit=unit, section=section_a)
    f.make_placement(case_b, place)
    cases = {
        "case_a": records_of(case_a, grantee=stand_in, granted_by=people["siri"]),
        "case_b": records_of(case_b, grantee=stand_in, granted_by=people["sven"]),
    }
    for label, records in cases.items():
        add_visit_records(
            records, unit=unit, made_by=stand_in, approver=people[SECTION_LEADER_OF[label]]
        )
    users = {**people, SUPERUSER: root}
    clients = {ANONYMOUS: Client()}
    for who, user in users.items():
        clients[who] = Client()
        clients[who].force_login(user)
    entry = TimeEntry.objects.create(
        counsellor=people["ola"],
        case=case_a,
        section=case_a.section,
        worked_on=case_a.opened_on,
        activity="planning",
        hours=1,
    )
    return {
        "cases": cases,
        "users": users,
        "clients": clients,
        "place": place,
        "root": root,
        "entry": entry,
    }


def url_kwargs(route, records, world):
    """Fill the URL's arguments with objects of `records`' case (or of the unit)."""
    kwargs = {}
    for name in route.kwargs:
        if route.key.startswith("visits:") and visit_url_kwarg(route.key, name, records):
            kwargs[name] = visit_url_kwarg(route.key, name, records)
        elif name == "case_pk":
            kwargs[name] = records.case.pk
        elif name == "followup_pk":
            kwargs[name] = records.objects["followup"].pk
        elif name == "step":
            kwargs[name] = "kontakt"
        elif name == "pk" and route.key.startswith("followup:referral_"):
            kwargs[name] = records.objects["referral"].pk
        elif name == "pk" and route.key.startswith("followup:report"):
            kwargs[name] = records.objects["report"].pk
        elif name == "pk" and route.key.startswith("followup:contact"):
            kwargs[name] = records.objects["contact"].pk
        elif name == "pk" and route.key.startswith("followup:"):
            kwargs[name] = records.objects["followup"].pk
        elif name == "decision_pk":
            kwargs[name] = records.objects["decision"].pk
        elif name == "pk" and route.key.startswith("timelog:"):
            kwargs[name] = world["entry"].pk
        elif name == "pk" and route.key == "cases:place_edit":
            kwargs[name] = world["place"].pk
        elif name == "pk" and route.key.startswith("cases:"):
            kind = route.key.removeprefix("cases:").rsplit("_", 1)[0]  # "person_edit" → "person"
            kwargs[name] = records.objects[kind].pk
        elif name == "app_label":
            kwargs[name] = "org"
        elif name == "content_type_id":
            kwargs[name] = ContentType.objects.get_for_model(User).pk
        elif name in ("object_id", "id"):
            kwargs[name] = str(world["root"].pk)
        elif name == "figure":
            kwargs[name] = "offers"  # the cases behind a dashboard figure
        elif name == "row":
            kwargs[name] = "never"
        elif name == "url":
            kwargs[name] = "no-such-page/"
        else:
            raise AssertionError(f"{route.key}: no rule to fill the URL argument {name!r}")
    return kwargs


def matrix_cells(routes):
    """(route, case label or None) for every classified route, once per case if it has one."""
    for route in routes:
        if route.category is None:
            continue
        for case_label in ("case_a", "case_b") if "case_pk" in route.kwargs else (None,):
            yield route, case_label


# --- Tests --------------------------------------------------------------------------------


def test_every_url_pattern_is_classified():
    routes = all_routes()
    unclassified = sorted(route.key for route in routes if route.category is None)
    assert not unclassified, (
        "These URLs have no entry in URL_CATEGORIES in tests/test_permission_matrix.py; "
        f"decide who may open them and classify them: {unclassified}"
    )
    stale = sorted(set(URL_CATEGORIES) - {route.key for route in routes})
    assert not stale, f"URL_CATEGORIES names URLs that no longer exist: {stale}"


def test_the_matrix_covers_case_urls_and_the_admin():
    categories = {route.category for route in all_routes()}
    assert CASE_CATEGORIES | {ADMIN, POST_ONLY, SIGNED_IN} <= categories


def audit_counts(user, case):
    rows = AuditEvent.objects.filter(case_id=case.pk, user=user)
    return (
        rows.filter(action=AuditAction.VIEW).count(),
        rows.filter(action=AuditAction.DENIED).count(),
    )


def audit_mismatch(status, before, after):
    """Every case page opened leaves a VIEW row; every refusal (403/404) one DENIED row."""
    views, denials = after[0] - before[0], after[1] - before[1]
    if status == 200 and views < 1:
        return "200 without a VIEW row"
    if status != 200 and views:
        return f"{status} but left a VIEW row"
    if status in (403, 404) and denials != 1:
        return f"{status} with {denials} DENIED rows instead of 1"
    return None


def test_every_url_answers_every_role_as_the_policy_says_and_case_pages_are_audited(world):
    """One pass over the matrix (each request is made once); all mismatches reported together."""
    answers, audit = [], []
    checked = 0
    for route, case_label in matrix_cells(all_routes()):
        records = world["cases"][case_label or "case_a"]
        url = route.url(**url_kwargs(route, records, world))
        audited = route.category in CASE_CATEGORIES
        for who in EVERYONE:
            expected = expected_answer(
                route.category,
                who,
                access=CASE_ACCESS[case_label].get(who, NONE) if case_label else NONE,
                manages=case_label is not None and SECTION_LEADER_OF[case_label] == who,
                keeps_records=case_label is not None and who in LEGAL_RECORD_KEEPERS[case_label],
            )
            user = world["users"].get(who)
            before = audit_counts(user, records.case) if audited and user else None
            response = world["clients"][who].get(url)
            checked += 1
            cell = f"{route.key} [{case_label or '-'}] as {who}"
            if not answer_matches(expected, response):
                answers.append(
                    f"{cell}: expected {expected}, got {observed_answer(response)} ({url})"
                )
            if before is not None:
                problem = audit_mismatch(
                    response.status_code, before, audit_counts(user, records.case)
                )
                if problem:
                    audit.append(f"{cell}: {problem}")
    assert checked > 500, f"the matrix ran only {checked} requests; is the URLconf walk broken?"
    assert not answers and not audit, (
        f"{len(answers)} of {checked} answers are wrong:\n"
        + "\n".join(answers)
        + f"\n{len(audit)} case pages were not audited as they should be:\n"
        + "\n".join(audit)
    )


GRANT_STATES = {
    # name: (grant fields relative to now, the access per should then have on case_b)
    "an active read grant": ({"valid_until": timedelta(days=14)}, READ),
    "an active grant that may edit": ({"valid_until": timedelta(days=14), "can_edit": True}, WRITE),
    "an expired grant": (
        {"valid_from": -timedelta(days=14), "valid_until": -timedelta(days=1)},
        NONE,
    ),
    "a revoked grant": (
        {"valid_until": timedelta(days=14), "revoked_at": -timedelta(hours=1)},
        NONE,
    ),
    "a grant not yet valid": (
        {"valid_from": timedelta(days=1), "valid_until": timedelta(days=8)},
        NONE,
    ),
}


@pytest.mark.parametrize("state", list(GRANT_STATES))
def test_a_grant_opens_the_foreign_case_exactly_as_far_as_it_reaches(world, state):
    fields, access = GRANT_STATES[state]
    now = timezone.now()
    values = {
        name: now + delta if isinstance(delta, timedelta) else delta
        for name, delta in fields.items()
    }
    per, siri = world["users"]["per"], world["users"]["siri"]
    records = world["cases"]["case_b"]
    AccessGrant.objects.create(
        case=records.case, user=per, granted_by=siri, reason="Dekker ferie for Cato", **values
    )
    failures = []
    for route, case_label in matrix_cells(all_routes()):
        if case_label != "case_b" or route.category not in CASE_CATEGORIES:
            continue
        expected = expected_answer(route.category, "per", access=access, manages=False)
        response = world["clients"]["per"].get(route.url(**url_kwargs(route, records, world)))
        if not answer_matches(expected, response):
            failures.append(f"{route.key}: expected {expected}, got {observed_answer(response)}")
    assert not failures, f"per with {state} on case_b:\n" + "\n".join(failures)
    # The grant on case_b opens nothing on case_a.
    overview_a = reverse("cases:overview", args=[world["cases"]["case_a"].case.pk])
    assert world["clients"]["per"].get(overview_a).status_code == 404


def quick_entry_source(records, kind):
    """The record of `records`' case a quick time entry starts from: a held visit or a contact."""
    if kind == "session":
        session = records.objects["visit_session"]
        session.status = "held"
        session.save(update_fields=["status"])
        return session
    return Contact.objects.create(
        followup=records.objects["followup"],
        held_on=date(2025, 4, 2),
        with_whom="parent",
        place="home",
        method="conversation",
        minutes=60,
        recorded_by=records.case.caseworker,
    )


@pytest.mark.parametrize("kind", ["session", "contact"])
def test_quick_time_entry_answers_as_the_policy_says(world, kind):
    """`timelog:add?session=` / `?contact=`: a counsellor's page that also needs WRITE on the case.

    Others are refused as the counsellor's page refuses them (before the case is looked up); a
    counsellor without the case gets 404 and a DENIED row, one on it a 200 and a VIEW row.
    """
    failures = []
    for case_label, records in world["cases"].items():
        source = quick_entry_source(records, kind)
        url = f"{reverse('timelog:add')}?{kind}={source.pk}"
        for who in EVERYONE:
            expected = expected_answer(COUNSELLOR_ONLY, who)
            if expected == 200:
                access = CASE_ACCESS[case_label].get(who, NONE)
                expected = expected_answer(CASE_WRITE, who, access=access)
            user = world["users"].get(who)
            before = audit_counts(user, records.case) if who in COUNSELLORS else None
            response = world["clients"][who].get(url)
            cell = f"{url} [{case_label}] as {who}"
            if not answer_matches(expected, response):
                failures.append(f"{cell}: expected {expected}, got {observed_answer(response)}")
            if before is not None:
                problem = audit_mismatch(
                    response.status_code, before, audit_counts(user, records.case)
                )
                if problem:
                    failures.append(f"{cell}: {problem}")
    assert not failures, "\n".join(failures)
