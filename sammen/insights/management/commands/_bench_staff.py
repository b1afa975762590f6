"""Who the load phase of `manage.py bench` signs in, and what each of them may open and change.

Staff come in a repeating pattern of five: a caseworker and a counsellor who share a case with
an active follow-up (both may edit its people, so their edits can collide), a leader (programme
lead or section leader, in turns), then the next pair. Every one of them gets a known password,
made here, so that they sign in through the real login form.
"""

import secrets
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from sammen.cases.models import ChildCase, Person
from sammen.followup.models import FollowUp
from sammen.org.models import Role, User

PATTERN = ("caseworker", "counsellor", "leader", "caseworker", "counsellor")
OVERVIEWS_PER_USER = 5


@dataclass
class Staff:
    username: str
    kind: str  # caseworker, counsellor or leader
    overview_paths: list = field(default_factory=list)
    case_id: int | None = None  # the shared case (caseworker and counsellor)
    person_path: str = ""  # edit form of the shared case's mother
    person_id: int | None = None
    contact_path: str = ""  # "guidance session or contact" form of its active follow-up
    followup_id: int | None = None


def overview_paths(cases):
    ids = list(cases.order_by("pk").values_list("pk", flat=True)[:OVERVIEWS_PER_USER])
    return [reverse("cases:overview", args=[pk]) for pk in ids]


def shared_cases():
    """(case, its active follow-up) with a caseworker and counsellor not yet taken, in order."""
    taken = set()
    followups = (
        FollowUp.objects.filter(state="active", referral__counsellor__isnull=False)
        .select_related("referral__case")
        .order_by("referral__case_id", "pk")
    )
    for followup in followups.iterator():
        case = followup.referral.case
        pair = (case.caseworker_id, followup.referral.counsellor_id)
        if pair[0] in taken or pair[1] in taken:
            continue
        taken.update(pair)
        yield case, followup


def pair_for(case, followup):
    mother = Person.objects.filter(case=case, relation="mother").order_by("pk").first()
    mother = mother or Person.objects.filter(case=case).exclude(relation="child").first()
    common = {
        "case_id": case.pk,
        "person_id": mother.pk,
        "person_path": reverse("cases:person_edit", args=[case.pk, mother.pk]),
    }
    caseworker = User.objects.get(pk=case.caseworker_id)
    counsellor = User.objects.get(pk=followup.referral.counsellor_id)
    return (
        Staff(
            caseworker.username,
            "caseworker",
            overview_paths(ChildCase.objects.filter(caseworker=caseworker)),
            **common,
        ),
        Staff(
            counsellor.username,
            "counsellor",
            overview_paths(ChildCase.objects.filter(counsellors=counsellor)),
            contact_path=reverse("followup:step", args=[case.pk, followup.pk, "kontakt"]),
            followup_id=followup.pk,
            **common,
        ),
    )


def leaders():
    """Programme leads and section leaders in turns, unit by unit."""
    leads = User.objects.filter(role=Role.PROGRAMME_LEAD, unit__isnull=False).order_by("pk")
    section_leaders = User.objects.filter(role=Role.SECTION_LEADER, unit__isnull=False)
    section_leaders = list(section_leaders.order_by("pk"))
    for i, lead in enumerate(leads):
        yield lead, ChildCase.objects.filter(section__unit_id=lead.unit_id)
        if i < len(section_leaders):
            leader = section_leaders[i]
            yield leader, ChildCase.objects.filter(section_id=leader.section_id)


def choose_staff(count):
    """`count` staff members following PATTERN; distinct while the data has enough of them."""
    pairs, heads = [], []
    for case, followup in shared_cases():
        pairs.append(pair_for(case, followup))
        if len(pairs) * 2 >= count:
            break
    for user, cases in leaders():
        heads.append(Staff(user.username, "leader", overview_paths(cases)))
        if len(heads) * len(PATTERN) >= count:
            break
    if not pairs or not heads:
        raise ValueError("The data has no shared case with an active follow-up, or no leader.")
    chosen, pair_i, head_i = [], 0, 0
    while len(chosen) < count:
        for kind in PATTERN:
            if kind == "leader":
                chosen.append(heads[head_i % len(heads)])
                head_i += 1
            elif kind == "caseworker":
                chosen.append(pairs[pair_i % len(pairs)][0])
            else:
                chosen.append(pairs[pair_i % len(pairs)][1])
                pair_i += 1
    return chosen[:count]


def give_password(staff):
    """A fresh password for these users (the bench data's users cannot sign in)."""
    password = secrets.token_urlsafe(18)
    usernames = {s.username for s in staff}
    User.objects.filter(username__in=usernames).update(
        password=make_password(password, hasher="pbkdf2_sha256")
    )
    return password
