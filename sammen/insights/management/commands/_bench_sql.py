"""The dashboard's aggregates written by hand in SQL, beside the same through the ORM.

The ORM side is exactly the query the dashboard runs (`selectors.*_rows`). The hand-written side
asks the same question with the same meaning: a programme lead reads every case of their unit
(`Scope.cases` proves that through the access policy; tests/insights/test_scope.py), so both
filter on the cases whose section belongs to the unit, with the same subqueries. Both sides hand
back typed rows (dates as dates, sums as decimals, as the figure needs them), so the benchmark
can check that the rows and the figures built from them agree ("same result").
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from sammen.cases.models import ChildCase, Person, Placement
from sammen.cases.models.persons import PARENT_RELATIONS
from sammen.followup import rules as followup_rules
from sammen.followup.models import ConsentEvent, Contact, FollowUp, Information, Referral
from sammen.insights import selectors
from sammen.org.models import Role, Section, User
from sammen.timelog.models import TimeEntry
from sammen.visits.models import VisitPlan, VisitSession

T = {
    "case": ChildCase._meta.db_table,
    "section": Section._meta.db_table,
    "entry": TimeEntry._meta.db_table,
    "user": User._meta.db_table,
    "referral": Referral._meta.db_table,
    "followup": FollowUp._meta.db_table,
    "contact": Contact._meta.db_table,
    "person": Person._meta.db_table,
    "placement": Placement._meta.db_table,
    "consent": ConsentEvent._meta.db_table,
    "info": Information._meta.db_table,
    "plan": VisitPlan._meta.db_table,
    "session": VisitSession._meta.db_table,
}


def _q(query, params):
    # Only table names from the models are formatted in; every value is a bound parameter.
    with connection.cursor() as cursor:
        cursor.execute(query.format(**T), params)
        return cursor.fetchall()


def _day(value):
    """A date column as a date: SQLite hands back text, PostgreSQL a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _dec(value):
    """A sum as a decimal: SQLite hands back a float or an int, PostgreSQL a decimal."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _n(value):
    return Decimal(value).quantize(Decimal("0.01")) if value is not None else None


def _marks(values):
    return ", ".join(["%s"] * len(values))


def pairs(scope):
    """(label, ORM rows, SQL rows, rows → comparable, rows → figure) for each aggregate."""
    if scope.user.role != Role.PROGRAMME_LEAD or scope.section_id or scope.counsellor_id:
        raise ValueError("The hand-written SQL is written for a programme lead's whole unit.")
    unit, start, end, today = scope.unit_id, scope.start, scope.end, scope.today
    # Both sides start from the unit's sections, read once per page (`Scope.section_ids`).
    sections = list(Section.objects.filter(unit_id=unit).values_list("pk", flat=True))
    in_sections = f"IN ({_marks(sections)})"
    cases = "SELECT c.id FROM {case} c WHERE c.section_id " + in_sections  # noqa: S608 — the unit's cases
    carried = [str(s) for s in followup_rules.CARRIED_STATES]
    parents = [str(r) for r in PARENT_RELATIONS]

    def time_sql():
        rows = _q(
            "SELECT t.activity, SUM(t.hours), SUM(t.km) FROM {entry} t "  # noqa: S608 — table names only
            f"WHERE t.section_id {in_sections} AND t.worked_on BETWEEN %s AND %s "
            f"AND t.case_id IN ({cases}) GROUP BY t.activity",
            [*sections, start, end, *sections],
        )
        return [(a, _dec(h), _dec(k)) for a, h, k in rows]

    def load_sql():
        return _q(
            "SELECT u.first_name, u.last_name, u.username, COALESCE(("  # noqa: S608 — table names only
            "SELECT COUNT(DISTINCT r.case_id) FROM {referral} r "
            "JOIN {followup} f ON f.referral_id = r.id "
            f"WHERE r.counsellor_id = u.id AND f.state IN ({_marks(carried)}) "
            f"AND r.case_id IN ({cases})), 0) AS n "
            "FROM {user} u WHERE u.unit_id = %s AND u.role = %s AND u.is_active "
            "ORDER BY n DESC, u.first_name, u.last_name, u.id",
            [*carried, *sections, unit, Role.COUNSELLOR.value],
        )

    def followups_sql():
        rows = _q(
            "SELECT f.started_on, f.closed_on, f.contacts_per_month, "  # noqa: S608 — table names only
            "(SELECT COUNT(*) FROM {contact} k WHERE k.followup_id = f.id "
            "AND k.held_on BETWEEN %s AND %s) "
            "FROM {followup} f JOIN {referral} r ON r.id = f.referral_id "
            f"WHERE r.case_id IN ({cases}) AND f.started_on IS NOT NULL AND f.started_on <= %s "
            "AND (f.closed_on IS NULL OR f.closed_on >= %s)",
            [start, end, *sections, end, start],
        )
        return [(_day(s), _day(c), fr, n) for s, c, fr, n in rows]

    def offers_sql():
        # "Is there one?" as a scalar subquery, as the ORM side does: PostgreSQL hashes every
        # consent and follow-up in the country for an EXISTS in a CASE.
        first_decline = (
            'SELECT MIN(e."on") FROM {consent} e JOIN {followup} f2 ON f2.id = e.followup_id '
            "WHERE f2.parent_id = p.id AND e.kind = 'declined'"
        )
        return _q(
            "SELECT relation, status, COUNT(*) FROM (SELECT p.relation, CASE "  # noqa: S608 — table names only
            "WHEN (SELECT e.id FROM {consent} e JOIN {followup} f ON f.id = e.followup_id "
            "  WHERE f.parent_id = p.id AND e.kind = 'given' LIMIT 1) IS NOT NULL THEN 'accepted' "
            "WHEN (SELECT i.id FROM {info} i JOIN {followup} f ON f.id = i.followup_id "
            f"  WHERE f.parent_id = p.id AND i.informed_on > ({first_decline}) LIMIT 1) IS NOT NULL "
            "  THEN 'reoffered' "
            f"WHEN ({first_decline}) IS NOT NULL THEN 'declined' "
            "WHEN (SELECT f.id FROM {followup} f WHERE f.parent_id = p.id LIMIT 1) IS NOT NULL "
            "  THEN 'offered' "
            "ELSE 'never' END AS status "
            "FROM {person} p JOIN {case} c ON c.id = p.case_id "
            f"WHERE c.id IN ({cases}) AND c.closed_on IS NULL AND p.relation IN ({_marks(parents)}) "
            "AND (c.petition_status <> 'none' OR EXISTS (SELECT 1 FROM {placement} pl "
            "WHERE pl.case_id = c.id AND pl.start_date <= %s "
            "AND (pl.end_date IS NULL OR pl.end_date >= %s)))) x "
            "GROUP BY relation, status",
            [*sections, *parents, today, today],
        )

    zone = timezone.get_current_timezone()
    adapt = connection.ops.adapt_datetimefield_value  # the database's own timestamp format
    since = adapt(datetime.combine(start, time.min, tzinfo=zone))
    until = adapt(datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))

    def visits_sql():
        return _q(
            "SELECT vs.status, COUNT(*) FROM {session} vs "  # noqa: S608 — table names only
            f"WHERE vs.plan_id IN (SELECT p.id FROM {{plan}} p WHERE p.case_id IN ({cases})) "
            "AND vs.starts_at >= %s AND vs.starts_at < %s GROUP BY vs.status",
            [*sections, since, until],
        )

    def sums(rows):
        return sorted((a, _n(h), _n(k)) for a, h, k in rows)

    def unordered(rows):
        return sorted(rows, key=str)  # dates and None side by side

    return [
        ("time by activity", selectors.time_rows, time_sql, sums, selectors.time_from),
        ("load", selectors.load_rows, load_sql, list, selectors.load_from),
        (
            "duration, intensity",
            selectors.followup_rows,
            followups_sql,
            unordered,
            lambda rows: (
                selectors.duration_from(rows, today=today),
                selectors.intensity_from(rows, scope),
            ),
        ),
        ("equal offer", selectors.offer_rows, offers_sql, unordered, selectors.offers_from),
        ("visits", selectors.visit_rows, visits_sql, unordered, dict),
    ]
