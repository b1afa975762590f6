"""The dashboard's aggregates written by hand in SQL, beside the same through the ORM.

Both sides return the same normalised rows, so the benchmark can check that they agree.
The hand-written side assumes a programme lead (every case of the unit); the ORM side goes
through the case-access policy as the dashboard does.
"""

from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum

from sammen.cases.models import ChildCase, Person, Placement
from sammen.followup import rules as followup_rules
from sammen.followup.models import ConsentEvent, Contact, FollowUp, Information, Referral
from sammen.insights import selectors
from sammen.org.models import Section, User
from sammen.timelog.models import TimeEntry

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
}


def _q(query, params):
    # Only table names from the models are formatted in; every value is a bound parameter.
    with connection.cursor() as cursor:
        cursor.execute(query.format(**T), params)  # noqa: S608
        return cursor.fetchall()


def _n(value):
    return Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else None


def _d(value):
    return str(value) if value is not None else ""


def pairs(scope):
    unit, start, end, today = scope.unit_id, scope.start, scope.end, scope.today
    carried = [str(s) for s in followup_rules.CARRIED_STATES]
    marks = ", ".join(["%s"] * len(carried))

    def time_orm():
        rows = (
            selectors.time_entries(scope)
            .values("activity")
            .annotate(hours=Sum("hours"), km=Sum("km"))
            .order_by()
        )
        return sorted((r["activity"], _n(r["hours"]), _n(r["km"])) for r in rows)

    def time_sql():
        rows = _q(
            "SELECT t.activity, SUM(t.hours), SUM(t.km) FROM {entry} t "
            "JOIN {section} s ON s.id = t.section_id "
            "WHERE s.unit_id = %s AND t.worked_on BETWEEN %s AND %s GROUP BY t.activity",
            [unit, start, end],
        )
        return sorted((a, _n(h), _n(k)) for a, h, k in rows)

    def load_orm():
        return sorted(row["families"] for row in selectors.load(scope))

    def load_sql():
        rows = _q(
            "SELECT u.id, (SELECT COUNT(DISTINCT r.case_id) FROM {referral} r "  # noqa: S608
            "JOIN {followup} f ON f.referral_id = r.id JOIN {case} c ON c.id = r.case_id "
            f"JOIN {{section}} s ON s.id = c.section_id WHERE r.counsellor_id = u.id AND f.state IN ({marks}) "
            "AND s.unit_id = %s) FROM {user} u "
            "WHERE u.unit_id = %s AND u.role = 'counsellor' AND u.is_active",
            [*carried, unit, unit],
        )
        return sorted(n for _, n in rows)

    def duration_orm():
        spans = selectors._active_in_period(scope).values_list("started_on", "closed_on")
        return sorted((_d(s), _d(c)) for s, c in spans)

    active_sql = (
        "FROM {followup} f JOIN {referral} r ON r.id = f.referral_id "
        "JOIN {case} c ON c.id = r.case_id JOIN {section} s ON s.id = c.section_id "
        "WHERE s.unit_id = %s AND f.started_on IS NOT NULL AND f.started_on <= %s "
        "AND (f.closed_on IS NULL OR f.closed_on >= %s)"
    )

    def duration_sql():
        rows = _q("SELECT f.started_on, f.closed_on " + active_sql, [unit, end, start])
        return sorted((_d(s), _d(c)) for s, c in rows)

    def intensity_orm():
        rows = (
            selectors._active_in_period(scope)
            .filter(contacts_per_month__gt=0)
            .annotate(n=Count("contacts", filter=Q(contacts__held_on__range=(start, end))))
            .values_list("contacts_per_month", "started_on", "closed_on", "n")
        )
        return sorted((f, _d(s), _d(c), n) for f, s, c, n in rows)

    def intensity_sql():
        rows = _q(
            "SELECT f.contacts_per_month, f.started_on, f.closed_on, "  # noqa: S608
            "(SELECT COUNT(*) FROM {contact} k WHERE k.followup_id = f.id AND k.held_on BETWEEN %s AND %s) "
            + active_sql
            + " AND f.contacts_per_month > 0",
            [start, end, unit, end, start],
        )
        return sorted((f, _d(s), _d(c), n) for f, s, c, n in rows)

    def offers_orm():
        return selectors.offer_status_counts(scope)

    def offers_sql():
        rows = _q(
            "SELECT relation, status, COUNT(*) FROM (SELECT p.relation, CASE "
            "WHEN EXISTS (SELECT 1 FROM {consent} e JOIN {followup} f ON f.id = e.followup_id "
            "  WHERE f.parent_id = p.id AND e.kind = 'given') THEN 'accepted' "
            "WHEN EXISTS (SELECT 1 FROM {info} i JOIN {followup} f ON f.id = i.followup_id "
            '  WHERE f.parent_id = p.id AND i.informed_on > (SELECT MIN(e."on") FROM {consent} e '
            "  JOIN {followup} f2 ON f2.id = e.followup_id WHERE f2.parent_id = p.id AND e.kind = 'declined')) "
            "  THEN 'reoffered' "
            "WHEN EXISTS (SELECT 1 FROM {consent} e JOIN {followup} f ON f.id = e.followup_id "
            "  WHERE f.parent_id = p.id AND e.kind = 'declined') THEN 'declined' "
            "WHEN EXISTS (SELECT 1 FROM {followup} f WHERE f.parent_id = p.id) THEN 'offered' "
            "ELSE 'never' END AS status "
            "FROM {person} p JOIN {case} c ON c.id = p.case_id JOIN {section} s ON s.id = c.section_id "
            "WHERE s.unit_id = %s AND c.closed_on IS NULL AND p.relation IN ('mother', 'father', 'adoptive') "
            "AND (c.petition_status <> 'none' OR EXISTS (SELECT 1 FROM {placement} pl WHERE pl.case_id = c.id "
            "AND pl.start_date <= %s AND (pl.end_date IS NULL OR pl.end_date >= %s)))) x "
            "GROUP BY relation, status",
            [unit, today, today],
        )
        counts = {}
        for relation, status, n in rows:
            counts.setdefault(relation, dict.fromkeys(selectors.OFFER_STATUSES, 0))[status] = n
        return counts

    return [
        ("time by activity", time_orm, time_sql),
        ("load", load_orm, load_sql),
        ("duration", duration_orm, duration_sql),
        ("intensity", intensity_orm, intensity_sql),
        ("equal offer", offers_orm, offers_sql),
    ]
