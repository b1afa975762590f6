"""Synthetic demo data: one district service, its staff and about thirty children's cases.

The cases are built here; `visits` adds visit flats, visitation plans with their visits,
reports and expenses, `followups` the follow-up of parents (referral to contacts and reports),
and `timelog` the counsellors' time entries, all through the apps' own services where they
check something.

Every person here is made up. Dates are counted back from today so the demo always looks
current; everything else follows from `random.Random(seed)`, so the same seed on the same day
gives the same data.

`load_demo()` builds the demo once (a second call finds the unit and does nothing);
`load_demo(reset=True)` deletes the demo unit's cases first and builds them again. Staff users,
sections, placement places and visit flats are kept and updated rather than deleted: audit rows
(which can never be deleted) protect the users they name. Plans, visits, follow-ups and time
entries hang on the cases and go with them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from sammen.cases.models import (
    ActionPlan,
    CarePlan,
    CarePlanKind,
    ChildCase,
    LegalReference,
    PeriodUnit,
    Person,
    PetitionStatus,
    PlaceKind,
    Placement,
    PlacementKind,
    PlacementPlace,
    Relation,
    Supervision,
    TribunalDecision,
    TribunalDecisionVersion,
    VisitationRuling,
    VisitationRulingVersion,
)
from sammen.cases.models.decisions import DecisionKind
from sammen.cases.services import next_case_reference
from sammen.org.models import Role, Section, ServiceUnit, User

from .aftercare import load_aftercare
from .followups import load_followups
from .timelog import load_time
from .visits import load_visits

DEMO_UNIT_NAME = "Barneverntjenesten i bydel Nordvik"
DEMO_MUNICIPALITY = "Oslo"
DEMO_PASSWORD = "sammen-demo"
DEMO_URL = "http://127.0.0.1:8000/"
DEFAULT_SEED = 2025

SECTION_CARE = "Seksjon for omsorg"
SECTION_MEASURES = "Seksjon for oppfølging og tiltak"
SECTION_NAMES = (SECTION_CARE, SECTION_MEASURES)


# --- Staff -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    username: str
    first_name: str
    last_name: str
    role: str
    section: str | None = None  # the section's name, for caseworkers and section leaders


STAFF = (
    StaffMember("saksbehandler1", "Ingrid", "Solbakk", Role.CASEWORKER, SECTION_CARE),
    StaffMember("saksbehandler2", "Ahmed", "Yusuf", Role.CASEWORKER, SECTION_CARE),
    StaffMember("saksbehandler3", "Marte", "Haugland", Role.CASEWORKER, SECTION_MEASURES),
    StaffMember("saksbehandler4", "Paulina", "Zając", Role.CASEWORKER, SECTION_MEASURES),
    StaffMember("veileder1", "Linnea", "Bakkevold", Role.COUNSELLOR),
    StaffMember("veileder2", "Farah", "Qureshi", Role.COUNSELLOR),
    StaffMember("veileder3", "Eirik", "Sandvold", Role.COUNSELLOR),
    StaffMember("veileder4", "Semhar", "Tekle", Role.COUNSELLOR),
    StaffMember("leder1", "Kristin", "Aasheim", Role.SECTION_LEADER, SECTION_CARE),
    StaffMember("leder2", "Bjørn", "Lundhaug", Role.SECTION_LEADER, SECTION_MEASURES),
    StaffMember("prosjektleder", "Sigrid", "Vollan", Role.PROGRAMME_LEAD),
    StaffMember("admin", "Anders", "Moløkken", Role.ADMINISTRATOR),
)
DEMO_USERNAMES = tuple(member.username for member in STAFF)


# --- Placement places --------------------------------------------------------------------------

PLACES = (
    ("Fosterhjem Lien", PlaceKind.FOSTER_HOME, "Oslo"),
    ("Fosterhjem Bråten", PlaceKind.FOSTER_HOME, "Lillestrøm"),
    ("Fosterhjem Solbakken", PlaceKind.FOSTER_HOME, "Bærum"),
    ("Fosterhjem Nygård", PlaceKind.FOSTER_HOME, "Oslo"),
    ("Fosterhjem Åsly", PlaceKind.FOSTER_HOME, "Asker"),
    ("Fosterhjem Haugtun", PlaceKind.FOSTER_HOME, "Nordre Follo"),
    ("Beredskapshjem Furulund", PlaceKind.EMERGENCY_HOME, "Oslo"),
    ("Beredskapshjem Lyngheim", PlaceKind.EMERGENCY_HOME, "Bærum"),
    ("Beredskapshjem Sørbråten", PlaceKind.EMERGENCY_HOME, "Oslo"),
    ("Ungdomshjemmet Fjellro", PlaceKind.INSTITUTION, "Lørenskog"),
    ("Barne- og ungdomsinstitusjonen Tunet", PlaceKind.INSTITUTION, "Oslo"),
)


# --- Families ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Background:
    """Names and language of a family; `surnames` holds (female form, male form)."""

    language: str
    mothers: tuple[str, ...]
    fathers: tuple[str, ...]
    girls: tuple[str, ...]
    boys: tuple[str, ...]
    surnames: tuple[tuple[str, str], ...]
    other_languages: tuple[str, ...] = ("engelsk", "norsk")


def _same(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, name) for name in names)


NORWEGIAN = Background(
    language="norsk",
    mothers=(
        "Kristine",
        "Ingvild",
        "Marianne",
        "Silje",
        "Camilla",
        "Hege",
        "Tonje",
        "Linn",
        "Stine",
    ),
    fathers=(
        "Thomas",
        "Kristian",
        "Espen",
        "Morten",
        "Jørgen",
        "Stian",
        "Fredrik",
        "Rune",
        "Vegard",
    ),
    girls=("Emma", "Nora", "Ella", "Maja", "Ingrid", "Sofie", "Frida", "Tiril", "Hedda", "Selma"),
    boys=("Jakob", "Noah", "Emil", "Lukas", "Oskar", "Filip", "Aksel", "Theo", "Sander", "Ulrik"),
    surnames=_same(
        "Bergli",
        "Dahlstrøm",
        "Haugerud",
        "Liabø",
        "Strandheim",
        "Moengen",
        "Eidsvåg",
        "Lundby",
        "Bakkerud",
        "Nygårdsvik",
        "Sæterlid",
        "Holmslet",
        "Solhaug",
        "Myrvoll",
        "Engerud",
        "Fjellby",
        "Kvernmo",
        "Tangen",
        "Rustad",
        "Vestby",
        "Aunevik",
        "Grøtting",
        "Hovland",
        "Skaret",
        "Lervik",
        "Brennås",
    ),
    other_languages=("",),
)
SOMALI = Background(
    language="somali",
    mothers=("Hodan", "Fadumo", "Sahra", "Asha", "Ifrah", "Nimco"),
    fathers=("Abdirahman", "Mohamed", "Abdullahi", "Hassan", "Liban", "Mahad"),
    girls=("Hibo", "Ayaan", "Ladan", "Sagal", "Ilhan"),
    boys=("Abdi", "Omar", "Guled", "Yahye", "Sakariye"),
    surnames=_same("Warsame", "Farah", "Jama", "Osman", "Nur", "Aden"),
)
ARABIC = Background(
    language="arabisk",
    mothers=("Rania", "Layla", "Noor", "Huda", "Samira", "Reem"),
    fathers=("Khaled", "Omar", "Mahmoud", "Tarek", "Yousef", "Bassam"),
    girls=("Lina", "Jana", "Malak", "Yasmin", "Salma"),
    boys=("Adam", "Karim", "Zain", "Hamza", "Ali"),
    surnames=_same("Haddad", "Khalil", "Al-Masri", "Nasser", "Saleh", "Darwish"),
)
POLISH = Background(
    language="polsk",
    mothers=("Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Marta"),
    fathers=("Piotr", "Marek", "Tomasz", "Paweł", "Krzysztof"),
    girls=("Zofia", "Julia", "Hanna", "Lena", "Oliwia"),
    boys=("Jakub", "Antoni", "Szymon", "Kacper", "Wiktor"),
    surnames=(
        ("Kowalska", "Kowalski"),
        ("Wiśniewska", "Wiśniewski"),
        ("Zielińska", "Zieliński"),
        ("Lewandowska", "Lewandowski"),
        ("Wójcik", "Wójcik"),
    ),
)
TIGRINYA = Background(
    language="tigrinja",
    mothers=("Selam", "Helen", "Mebrat", "Senait", "Luwam"),
    fathers=("Yonas", "Dawit", "Tesfalem", "Mehari", "Biniam"),
    girls=("Eden", "Ruta", "Saba", "Milka", "Delina"),
    boys=("Natnael", "Aron", "Robel", "Samuel", "Nahom"),
    surnames=_same("Tesfay", "Gebremedhin", "Haile", "Ghebreab", "Berhane", "Woldu"),
)
URDU = Background(
    language="urdu",
    mothers=("Saima", "Nadia", "Rubina", "Sadia", "Amna"),
    fathers=("Imran", "Tariq", "Kashif", "Asif", "Nadeem"),
    girls=("Aisha", "Inaya", "Zara", "Hiba", "Alina"),
    boys=("Ibrahim", "Rayan", "Ayan", "Musa", "Zayan"),
    surnames=_same("Iqbal", "Chaudhry", "Butt", "Malik", "Rana", "Aslam"),
)
DARI = Background(
    language="dari",
    mothers=("Zahra", "Mariam", "Fatema", "Shabnam", "Nargis"),
    fathers=("Farid", "Ahmad", "Jawad", "Habib", "Nasir"),
    girls=("Sana", "Mursal", "Parisa", "Setayesh", "Hasti"),
    boys=("Mustafa", "Sina", "Arash", "Elias", "Omid"),
    surnames=_same("Rahimi", "Ahmadi", "Hosseini", "Karimi", "Sultani", "Noori"),
)
MINORITY_BACKGROUNDS = (SOMALI, ARABIC, POLISH, TIGRINYA, URDU, DARI)

GRANDPARENTS = (
    ("mormor", "mother", "female"),
    ("morfar", "mother", "male"),
    ("farmor", "father", "female"),
    ("farfar", "father", "male"),
)
GRANDMOTHER_NAMES = ("Solveig", "Randi", "Bjørg", "Gunn", "Astrid", "Turid")
GRANDFATHER_NAMES = ("Arne", "Kjell", "Terje", "Odd", "Svein", "Leif")

# --- Texts -------------------------------------------------------------------------------------

CHILD_NEEDS = (
    "Trenger stabil og forutsigbar omsorg, tett samarbeid med barnehagen og hjelp med språket.",
    "Har behov for ro, faste rutiner og voksne som tåler sterke følelser. Følges opp av BUP.",
    "Trenger støtte på skolen og hjelp til å komme i gang med en fritidsaktivitet.",
    "Har behov for trygg tilknytning til fosterforeldrene og forutsigbar kontakt med foreldrene.",
    "Trenger hjelp med søvn og regulering, og oppfølging hos helsestasjonen.",
)
PARENT_FOLLOWUP = (
    "Mor og far tilbys hver sin oppfølging etter Sammen om barnet, med egen familieveileder.",
    "Mor tilbys veiledning før og etter samvær. Far ønsker foreløpig ikke oppfølging; nytt tilbud om tre måneder.",
    "Foreldrene følges opp med samtaler hver måned og hjelp til kontakt med NAV og fastlege.",
)
PARENTS_VIEWS = (
    "Mor er uenig i omsorgsovertakelsen, men ønsker et godt samarbeid om samværene.",
    "Far ønsker mer samvær enn nemnda fastsatte. Mor er fornøyd med fosterhjemmet.",
    "Foreldrene ønsker at barnet skal flytte hjem, og vil ha hjelp til å vise at de kan gi god omsorg.",
    "Mor har gitt uttrykk for at hun vil bli informert om skole og helse.",
)
ACTION_GOALS = (
    "Barnet skal ha trygg og stabil hverdag i fosterhjemmet, og foreldrene skal få hjelp til å "
    "forberede tilbakeflytting.",
    "Barnet skal gå fast i barnehagen, og foreldrene skal få bedre rutiner for mat og søvn.",
    "Ungdommen skal fullføre skoleåret og ha en trygg voksen å snakke med.",
    "Foreldrene skal få verktøy til å håndtere konflikter uten at barnet blir involvert.",
)
ACTION_MEASURES = (
    "Frivillig plassering i fosterhjem, foreldreveiledning hver uke, samvær annenhver helg.",
    "Foreldreveiledning (ICDP), barnehageplass, besøkshjem én helg i måneden.",
    "Miljøterapeut to ganger i uken, samarbeid med skolen, fritidsaktivitet dekket.",
    "Familieråd, støttesamtaler for mor, kontaktperson for ungdommen.",
)
EMERGENCY_SUMMARIES = (
    "Nemnda godkjente akuttvedtaket om plassering i beredskapshjem.",
    "Nemnda godkjente akuttvedtaket. Samvær fastsettes foreløpig av barneverntjenesten.",
)
CARE_ORDER_SUMMARIES = (
    "Nemnda vedtok omsorgsovertakelse. Barnet skal bo i fosterhjem.",
    "Nemnda vedtok omsorgsovertakelse etter forhandlingsmøte. Samvær fastsatt som minimum.",
    "Vedtak om omsorgsovertakelse etter forenklet behandling; foreldrene samtykket.",
)
INSTITUTION_SUMMARY = "Nemnda vedtok omsorgsovertakelse med plassering i institusjon."
LIFTING_SUMMARY = "Nemnda opphevet vedtaket om omsorgsovertakelse. Barnet flytter hjem gradvis."
RULING_CONDITIONS = (
    "Samværet skal være rusfritt.",
    "Samvær på nøytral arena.",
    "Telefonkontakt én gang i uken i tillegg.",
    "",
    "",
    "",
)
RULING_FREQUENCIES = (
    (1, 2, PeriodUnit.MONTH),
    (4, 1, PeriodUnit.YEAR),
    (2, 1, PeriodUnit.MONTH),
    (1, 1, PeriodUnit.MONTH),
    (6, 1, PeriodUnit.YEAR),
)
RULING_HOURS = (Decimal("1.5"), Decimal("2.0"), Decimal("2.5"), Decimal("3.0"))


# --- Result ------------------------------------------------------------------------------------


@dataclass
class DemoResult:
    created: bool
    unit: ServiceUnit
    users: list[User]
    counts: dict[str, int] = field(default_factory=dict)
    deleted_cases: int = 0


# --- Entry point -------------------------------------------------------------------------------


def load_demo(
    *, reset: bool = False, seed: int = DEFAULT_SEED, today: date | None = None
) -> DemoResult:
    """Build the demo unless it exists; with `reset`, delete its case data and build it again.

    `today` may lie in the past, not in the future: the services refuse to record a visit as
    held before it has started.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        unit = ServiceUnit.objects.filter(name=DEMO_UNIT_NAME).first()
        deleted = 0
        if unit is not None:
            if not reset:
                users = list(User.objects.filter(username__in=DEMO_USERNAMES))
                return DemoResult(created=False, unit=unit, users=_in_staff_order(users))
            deleted = _delete_case_data(unit)
        rng = random.Random(seed)
        unit, sections = _ensure_unit()
        users = _ensure_staff(unit, sections)
        places = _ensure_places(unit)
        counts = _create_cases(rng, today, sections=sections, users=users, places=places)
        counts.update(load_visits(rng, today, unit=unit))
        counts.update(load_followups(rng, today, unit=unit))
        counts.update(load_time(rng, today, unit=unit))
        counts.update(load_aftercare(today, unit=unit))
        counts["places"] = sum(len(group) for group in places.values())
        counts["users"] = len(users)
    return DemoResult(
        created=True,
        unit=unit,
        users=_in_staff_order(users.values()),
        counts=counts,
        deleted_cases=deleted,
    )


def _in_staff_order(users) -> list[User]:
    order = {name: index for index, name in enumerate(DEMO_USERNAMES)}
    return sorted(users, key=lambda user: order.get(user.username, len(order)))


def _delete_case_data(unit: ServiceUnit) -> int:
    """Delete the unit's cases with everything hanging on them; return how many cases.

    Audit rows are left alone: they hold the case id as a plain number, not a foreign key.
    Staff, sections, placement places and visit flats are kept (and reused when the demo is
    built again).
    """
    cases = ChildCase.objects.filter(section__unit=unit)
    count = cases.count()
    _delete_with_blockers(cases)
    return count


def _delete_with_blockers(queryset, *, depth: int = 0) -> None:
    """Delete `queryset`, first deleting rows whose PROTECT foreign keys block the cascade.

    Inside a case, records point at each other with PROTECT (a care plan at its decision, a
    ruling or a follow-up at a person, a visit plan at a ruling). Django refuses such a cascade
    even when both ends go, so the blocking rows, which hang on the same cases, go first.
    """
    for _attempt in range(20):
        try:
            with transaction.atomic():
                queryset.delete()
            return
        except (ProtectedError, RestrictedError) as error:
            if depth >= 6:
                raise
            blocking = getattr(error, "protected_objects", None) or error.restricted_objects
            by_model = defaultdict(set)
            for obj in blocking:
                by_model[type(obj)].add(obj.pk)
            for model, pks in by_model.items():
                _delete_with_blockers(model._base_manager.filter(pk__in=pks), depth=depth + 1)
    raise RuntimeError("could not delete the demo's case data")


def _ensure_unit() -> tuple[ServiceUnit, dict[str, Section]]:
    unit, _created = ServiceUnit.objects.get_or_create(
        name=DEMO_UNIT_NAME, defaults={"municipality": DEMO_MUNICIPALITY}
    )
    sections = {
        name: Section.objects.get_or_create(unit=unit, name=name)[0] for name in SECTION_NAMES
    }
    return unit, sections


def _ensure_staff(unit: ServiceUnit, sections: dict[str, Section]) -> dict[str, User]:
    # One hash for everybody: the default hasher is slow on purpose, and it is the same password.
    password = make_password(DEMO_PASSWORD)
    users = {}
    for member in STAFF:
        is_admin = member.role == Role.ADMINISTRATOR
        user, _created = User.objects.update_or_create(
            username=member.username,
            defaults={
                "first_name": member.first_name,
                "last_name": member.last_name,
                "email": f"{member.username}@nordvik.example",
                "role": member.role,
                "unit": unit,
                "section": sections[member.section] if member.section else None,
                "is_active": True,
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "password": password,
            },
        )
        users[member.username] = user
    return users


def _ensure_places(unit: ServiceUnit) -> dict[str, list[PlacementPlace]]:
    by_kind: dict[str, list[PlacementPlace]] = {kind: [] for kind in PlaceKind.values}
    for name, kind, municipality in PLACES:
        place, _created = PlacementPlace.objects.update_or_create(
            unit=unit,
            name=name,
            defaults={"kind": kind, "municipality": municipality, "is_active": True},
        )
        by_kind[place.kind].append(place)
    return by_kind


# --- Case specifications -----------------------------------------------------------------------


@dataclass
class CaseSpec:
    """A case with everything hanging on it, as unsaved model instances."""

    scenario: str
    section: str
    case: ChildCase
    persons: list[Person] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    decisions: list[TribunalDecision] = field(default_factory=list)
    rulings: list[VisitationRuling] = field(default_factory=list)
    care_plans: list[CarePlan] = field(default_factory=list)
    action_plans: list[ActionPlan] = field(default_factory=list)

    @property
    def has_care_order(self) -> bool:
        return any(p.kind == PlacementKind.CARE_ORDER for p in self.placements)


class _Factory:
    """Turns a scenario into a `CaseSpec`; holds the things every scenario needs."""

    def __init__(self, rng: random.Random, today: date, places, legal) -> None:
        self.rng = rng
        self.today = today
        self.places = places
        self.legal = legal
        self.background_queue: list[Background] = []
        self.used: set = set()

    # small helpers

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def birth(self, age: int, *, min_extra: int = 1, max_extra: int = 360) -> date:
        """A date of birth that makes the child exactly `age` years old today."""
        extra = self.rng.randint(min_extra, max(min_extra, max_extra))
        return self.today - relativedelta(years=age) - timedelta(days=extra)

    def pick(self, options):
        """A random choice, avoiding what earlier picks took as long as something is left."""
        fresh = [option for option in options if option not in self.used]
        choice = self.rng.choice(fresh or options)
        self.used.add(choice)
        return choice

    def place(self, kind: str) -> PlacementPlace:
        return self.rng.choice(self.places[kind])

    def start_case(self, scenario: str, section: str, *, birth: date, opened_on: date) -> CaseSpec:
        opened_on = max(opened_on, birth)
        spec = CaseSpec(
            scenario=scenario,
            section=section,
            case=ChildCase(opened_on=opened_on, petition_status=PetitionStatus.NONE),
        )
        self.add_family(spec, birth)
        return spec

    # people

    def add_family(self, spec: CaseSpec, birth: date) -> None:
        rng = self.rng
        background = self.background_queue.pop() if self.background_queue else NORWEGIAN
        mother_last, father_last = self.pick(background.surnames)
        if background is NORWEGIAN and rng.random() < 0.4:
            mother_last = self.pick(background.surnames)[0]
        father_background = background
        if background is NORWEGIAN and rng.random() < 0.12:
            father_background = rng.choice(MINORITY_BACKGROUNDS)
            father_last = self.pick(father_background.surnames)[1]
        has_father = rng.random() < 0.85
        child_last = father_last if has_father and rng.random() < 0.7 else mother_last
        is_girl = rng.random() < 0.5
        child_first = self.pick(background.girls if is_girl else background.boys)
        mixed = father_background is not background
        child_other = "" if background is NORWEGIAN and not mixed else father_background.language
        spec.persons.append(
            Person(
                case=spec.case,
                relation=Relation.CHILD,
                first_name=child_first,
                last_name=child_last,
                date_of_birth=birth,
                language="norsk",
                other_languages=child_other if self.today - birth > timedelta(days=3 * 365) else "",
            )
        )
        mother_birth = birth - relativedelta(years=rng.randint(19, 40), days=rng.randint(0, 300))
        spec.persons.append(
            self.parent(
                spec,
                Relation.MOTHER,
                background,
                rng.choice(background.mothers),
                mother_last,
                mother_birth,
            )
        )
        if has_father:
            father_birth = birth - relativedelta(
                years=rng.randint(21, 45), days=rng.randint(0, 300)
            )
            spec.persons.append(
                self.parent(
                    spec,
                    Relation.FATHER,
                    father_background,
                    rng.choice(father_background.fathers),
                    father_last,
                    father_birth,
                    responsibility_share=0.75,
                )
            )
        if rng.random() < 0.2:
            detail, side, sex = rng.choice(GRANDPARENTS)
            if side == "father" and not has_father:
                detail, side = ("mormor", "mother") if sex == "female" else ("morfar", "mother")
            side_background = father_background if side == "father" else background
            surname = father_last if side == "father" else mother_last
            if sex == "female" and side_background is POLISH:
                surname = next((f for f, m in POLISH.surnames if m == surname), surname)
            names = (
                side_background.mothers if side_background is not NORWEGIAN else GRANDMOTHER_NAMES
            )
            if sex == "male":
                names = (
                    side_background.fathers
                    if side_background is not NORWEGIAN
                    else GRANDFATHER_NAMES
                )
            spec.persons.append(
                Person(
                    case=spec.case,
                    relation=Relation.GRANDPARENT,
                    relation_detail=detail,
                    first_name=rng.choice(names),
                    last_name=surname,
                    date_of_birth=birth
                    - relativedelta(years=rng.randint(45, 68), days=rng.randint(0, 300)),
                    language=side_background.language,
                    other_languages="norsk" if side_background is not NORWEGIAN else "",
                )
            )
        if rng.random() < 0.25:
            older = rng.random() < 0.5
            sister = rng.random() < 0.5
            half = rng.random() < 0.3
            detail = ("halv" if half else ("store" if older else "lille")) + (
                "søster" if sister else "bror"
            )
            gap = rng.randint(1, 6)
            sibling_birth = (
                birth - relativedelta(years=gap) if older else birth + relativedelta(years=gap)
            )
            if sibling_birth > self.today:
                sibling_birth = birth - relativedelta(years=gap)
                detail = detail.replace("lille", "store")
            spec.persons.append(
                Person(
                    case=spec.case,
                    relation=Relation.SIBLING,
                    relation_detail=detail,
                    first_name=rng.choice(
                        [
                            n
                            for n in (background.girls if sister else background.boys)
                            if n != child_first
                        ]
                    ),
                    last_name=child_last,
                    date_of_birth=sibling_birth,
                    language="norsk",
                )
            )

    def parent(
        self, spec, relation, background, first_name, last_name, birth, *, responsibility_share=0.95
    ):
        rng = self.rng
        needs_interpreter = background is not NORWEGIAN and rng.random() < 0.55
        return Person(
            case=spec.case,
            relation=relation,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=birth,
            has_parental_responsibility=rng.random() < responsibility_share,
            language=background.language,
            other_languages="" if needs_interpreter else rng.choice(background.other_languages),
            needs_interpreter=needs_interpreter,
            interpreter_language=background.language if needs_interpreter else "",
        )

    # records

    def placement(self, spec, kind, place_kind, start, end=None, notes="") -> Placement:
        placement = Placement(
            case=spec.case,
            kind=kind,
            place=self.place(place_kind),
            legal_basis=self.legal.get(f"placement.{kind}"),
            start_date=start,
            end_date=end,
            notes=notes,
        )
        spec.placements.append(placement)
        return placement

    def emergency_approval(self, spec, start: date) -> TribunalDecision | None:
        decided = start + timedelta(days=self.rng.randint(1, 2))
        if decided > self.today:
            return None
        decision = TribunalDecision(
            case=spec.case,
            decided_on=decided,
            kind=DecisionKind.EMERGENCY_APPROVAL,
            legal_basis=self.legal.get("placement.emergency"),
            summary=self.rng.choice(EMERGENCY_SUMMARIES),
        )
        spec.decisions.append(decision)
        return decision

    def care_order(
        self, spec, decided: date, *, institution=False, first_plan_after=None
    ) -> TribunalDecision:
        """The care-order decision with rulings for the parents and the care plans that follow."""
        rng = self.rng
        decision = TribunalDecision(
            case=spec.case,
            decided_on=decided,
            kind=DecisionKind.CARE_ORDER,
            legal_basis=self.legal.get("placement.care_order"),
            summary=INSTITUTION_SUMMARY if institution else rng.choice(CARE_ORDER_SUMMARIES),
            appealed=rng.random() < 0.15,
        )
        spec.decisions.append(decision)
        for person in spec.persons:
            if person.relation not in (Relation.MOTHER, Relation.FATHER):
                continue
            visits, length, unit = rng.choice(RULING_FREQUENCIES)
            conditions = rng.choice(RULING_CONDITIONS)
            if person.needs_interpreter and rng.random() < 0.5:
                conditions = (conditions + " Tolk skal være til stede.").strip()
            spec.rulings.append(
                VisitationRuling(
                    decision=decision,
                    visitor=person,
                    visits=visits,
                    period_length=length,
                    period_unit=unit,
                    min_hours=rng.choice(RULING_HOURS),
                    supervision=rng.choice(
                        (
                            Supervision.SUPERVISED,
                            Supervision.SUPERVISED,
                            Supervision.SUPPORTED,
                            Supervision.NONE,
                        )
                    ),
                    conditions=conditions,
                    details_delegated=rng.random() < 0.8,
                )
            )
        # The preliminary care plan goes to the tribunal with the petition.
        preliminary_on = decided - timedelta(days=rng.randint(14, 35))
        if first_plan_after is not None:
            preliminary_on = max(preliminary_on, first_plan_after)
        spec.care_plans.append(
            self.care_plan(spec, CarePlanKind.PRELIMINARY, decision, preliminary_on)
        )
        age_of_order = (self.today - decided).days
        if age_of_order > 540 and rng.random() < 0.8:
            final_on = min(decided + timedelta(days=rng.randint(480, 700)), self.ago(7))
            spec.care_plans.append(self.care_plan(spec, CarePlanKind.FINAL, decision, final_on))
        return decision

    def care_plan(self, spec, kind, decision, made_on) -> CarePlan:
        rng = self.rng
        review = made_on + relativedelta(months=6 if kind == CarePlanKind.PRELIMINARY else 12)
        while kind == CarePlanKind.FINAL and review < self.today:
            review += relativedelta(years=1)
        return CarePlan(
            case=spec.case,
            kind=kind,
            decision=decision,
            made_on=made_on,
            child_needs=rng.choice(CHILD_NEEDS),
            parent_followup=rng.choice(PARENT_FOLLOWUP),
            parents_views=rng.choice(PARENTS_VIEWS),
            next_review_on=review,
        )

    def action_plans(self, spec, start: date, end: date | None, *, months: int = 6) -> None:
        """Time-limited action plans one after another from `start`, up to `end` or today."""
        rng = self.rng
        last_day = end or self.today
        while start <= last_day:
            plan_end = start + relativedelta(months=months) - timedelta(days=1)
            if end is not None:
                plan_end = min(plan_end, end)
            evaluated = None
            if plan_end < self.today:
                evaluated = min(plan_end + timedelta(days=rng.randint(0, 14)), self.today)
            spec.action_plans.append(
                ActionPlan(
                    case=spec.case,
                    starts_on=start,
                    ends_on=plan_end,
                    goals=rng.choice(ACTION_GOALS),
                    measures=rng.choice(ACTION_MEASURES),
                    evaluated_on=evaluated,
                )
            )
            start = plan_end + timedelta(days=1)

    # scenarios

    def care_after_emergency(self, *, recent: bool = False) -> CaseSpec:
        """Emergency placement in an emergency home for some weeks, then a care order."""
        rng = self.rng
        if recent:
            t0_days = rng.randint(75, 200)
            age = rng.randint(0, 12)
            birth = self.birth(age, min_extra=t0_days + 5 if age == 0 else 1)
        else:
            age = rng.randint(2, 17)
            t0_days = rng.randint(220, int(min(age - 0.5, 8) * 365))
            birth = self.birth(age)
        start = self.ago(t0_days)
        spec = self.start_case(
            "care_order_after_emergency",
            SECTION_CARE,
            birth=birth,
            opened_on=start - timedelta(days=rng.randint(0, 240)),
        )
        care_start = start + timedelta(days=rng.randint(18, 40))
        self.placement(
            spec,
            PlacementKind.EMERGENCY,
            PlaceKind.EMERGENCY_HOME,
            start,
            care_start - timedelta(days=1),
            notes="Akuttplassert etter bekymringsmelding fra politiet.",
        )
        self.emergency_approval(spec, start)
        in_institution = age >= 14 and rng.random() < 0.4
        self.placement(
            spec,
            PlacementKind.CARE_ORDER,
            PlaceKind.INSTITUTION if in_institution else PlaceKind.FOSTER_HOME,
            care_start,
        )
        decided = care_start - timedelta(days=rng.randint(0, 4))
        self.care_order(spec, decided, institution=in_institution, first_plan_after=start)
        return spec

    def care_after_voluntary(self) -> CaseSpec:
        """A voluntary placement that became a care order; the child stayed in the same home."""
        rng = self.rng
        age = rng.randint(4, 16)
        t0_days = rng.randint(440, int(min(age - 0.5, 6) * 365))
        birth = self.birth(age)
        start = self.ago(t0_days)
        spec = self.start_case(
            "care_order_after_voluntary",
            SECTION_CARE,
            birth=birth,
            opened_on=start - timedelta(days=rng.randint(30, 400)),
        )
        care_start = start + timedelta(days=rng.randint(150, 400))
        voluntary = self.placement(
            spec,
            PlacementKind.VOLUNTARY,
            PlaceKind.FOSTER_HOME,
            start,
            care_start - timedelta(days=1),
        )
        self.action_plans(spec, start, voluntary.end_date)
        care = self.placement(
            spec,
            PlacementKind.CARE_ORDER,
            PlaceKind.FOSTER_HOME,
            care_start,
            notes="Foreldrene trakk samtykket; barnet ble boende i samme fosterhjem.",
        )
        care.place = voluntary.place
        self.care_order(
            spec, care_start - timedelta(days=rng.randint(0, 3)), first_plan_after=start
        )
        return spec

    def care_in_institution(self) -> CaseSpec:
        """A teenager placed in an institution under a care order."""
        rng = self.rng
        age = rng.randint(14, 17)
        birth = self.birth(age)
        start = self.ago(rng.randint(150, 900))
        spec = self.start_case(
            "care_order_institution",
            SECTION_CARE,
            birth=birth,
            opened_on=max(
                start - timedelta(days=rng.randint(200, 2000)), birth + relativedelta(years=8)
            ),
        )
        self.placement(spec, PlacementKind.CARE_ORDER, PlaceKind.INSTITUTION, start)
        self.care_order(spec, start - timedelta(days=rng.randint(0, 5)), institution=True)
        return spec

    def emergency_pending(self, days_ago: int, age: int) -> CaseSpec:
        """An ongoing emergency placement; the care-order petition is on its way."""
        rng = self.rng
        birth = self.birth(
            age, min_extra=days_ago + 30 if age == 0 else 1, max_extra=140 if age == 0 else 360
        )
        start = self.ago(days_ago)
        spec = self.start_case(
            "emergency_pending",
            SECTION_MEASURES,
            birth=birth,
            opened_on=start - timedelta(days=rng.randint(0, 90)),
        )
        self.placement(
            spec,
            PlacementKind.EMERGENCY,
            PlaceKind.EMERGENCY_HOME,
            start,
            notes="Akuttvedtak fattet av barneverntjenestens leder.",
        )
        self.emergency_approval(spec, start)
        if days_ago >= 14:
            spec.case.petition_status = PetitionStatus.SENT
            spec.case.petition_date = start + timedelta(days=rng.randint(10, min(38, days_ago - 1)))
        elif days_ago >= 7:
            spec.case.petition_status = PetitionStatus.PREPARING
        return spec

    def voluntary_ongoing(self, *, preparing: bool = False) -> CaseSpec:
        rng = self.rng
        age = rng.randint(3, 16)
        birth = self.birth(age)
        start = self.ago(rng.randint(40, 540))
        spec = self.start_case(
            "voluntary_ongoing",
            SECTION_MEASURES,
            birth=birth,
            opened_on=start - timedelta(days=rng.randint(20, 500)),
        )
        place_kind = PlaceKind.INSTITUTION if age >= 15 else PlaceKind.FOSTER_HOME
        self.placement(spec, PlacementKind.VOLUNTARY, place_kind, start)
        self.action_plans(spec, start, None)
        if preparing:
            spec.case.petition_status = PetitionStatus.PREPARING
        return spec

    def in_home(self, *, petition: str = PetitionStatus.NONE) -> CaseSpec:
        """Help in the home, no placement; sometimes a care-order petition is being prepared."""
        rng = self.rng
        age = rng.randint(1, 12)
        birth = self.birth(age)
        opened = self.ago(
            rng.randint(120, 500) if petition != PetitionStatus.NONE else rng.randint(10, 150)
        )
        spec = self.start_case("in_home", SECTION_MEASURES, birth=birth, opened_on=opened)
        if petition != PetitionStatus.NONE or rng.random() < 0.6:
            self.action_plans(spec, spec.case.opened_on + timedelta(days=rng.randint(14, 40)), None)
        spec.case.petition_status = petition
        if petition == PetitionStatus.SENT:
            spec.case.petition_date = self.ago(rng.randint(5, 25))
        return spec

    def closed_voluntary(self) -> CaseSpec:
        rng = self.rng
        age = rng.randint(8, 17)
        birth = self.birth(age)
        start = self.ago(rng.randint(500, 900))
        spec = self.start_case(
            "closed_voluntary",
            SECTION_MEASURES,
            birth=birth,
            opened_on=start - timedelta(days=rng.randint(30, 300)),
        )
        end = start + timedelta(days=rng.randint(120, 300))
        self.placement(
            spec, PlacementKind.VOLUNTARY, PlaceKind.FOSTER_HOME, start, end, notes="Flyttet hjem."
        )
        self.action_plans(spec, start, end)
        spec.case.closed_on = end + timedelta(days=rng.randint(60, 120))
        return spec

    def closed_emergency(self) -> CaseSpec:
        """An emergency placement of a few weeks; the child went home and the case was closed."""
        rng = self.rng
        age = rng.randint(2, 14)
        birth = self.birth(age)
        start = self.ago(rng.randint(300, 700))
        spec = self.start_case(
            "closed_emergency",
            SECTION_MEASURES,
            birth=birth,
            opened_on=start - timedelta(days=rng.randint(0, 60)),
        )
        end = start + timedelta(days=rng.randint(8, 25))
        self.placement(
            spec,
            PlacementKind.EMERGENCY,
            PlaceKind.EMERGENCY_HOME,
            start,
            end,
            notes="Tilbake hos mor.",
        )
        self.emergency_approval(spec, start)
        self.action_plans(spec, end + timedelta(days=1), end + relativedelta(months=4), months=4)
        spec.case.closed_on = end + timedelta(days=rng.randint(130, 200))
        return spec

    def closed_aged_out(self) -> CaseSpec:
        """A care order that ended at 18; the young adult later declined aftercare."""
        rng = self.rng
        age = rng.randint(19, 20)
        birth = self.birth(age)
        eighteen = birth + relativedelta(years=18)
        start = birth + relativedelta(years=rng.randint(9, 14), days=rng.randint(0, 300))
        spec = self.start_case(
            "closed_aged_out",
            SECTION_CARE,
            birth=birth,
            opened_on=start - timedelta(days=rng.randint(100, 700)),
        )
        self.placement(
            spec,
            PlacementKind.CARE_ORDER,
            PlaceKind.FOSTER_HOME,
            start,
            eighteen - timedelta(days=1),
        )
        self.care_order(spec, start - timedelta(days=rng.randint(0, 4)))
        spec.case.closed_on = min(eighteen + timedelta(days=rng.randint(60, 400)), self.ago(3))
        return spec

    def closed_lifted(self) -> CaseSpec:
        """A care order the tribunal lifted; the child moved home and was followed up for a while."""
        rng = self.rng
        age = rng.randint(8, 16)
        birth = self.birth(age)
        start = self.ago(rng.randint(1280, 5 * 365))
        spec = self.start_case(
            "closed_lifted",
            SECTION_CARE,
            birth=birth,
            opened_on=start - timedelta(days=rng.randint(60, 400)),
        )
        lifted_on = self.ago(rng.randint(260, 420))
        end = lifted_on + timedelta(days=rng.randint(14, 45))
        self.placement(spec, PlacementKind.CARE_ORDER, PlaceKind.FOSTER_HOME, start, end)
        self.care_order(spec, start - timedelta(days=rng.randint(0, 4)))
        spec.decisions.append(
            TribunalDecision(
                case=spec.case,
                decided_on=lifted_on,
                kind=DecisionKind.LIFTING,
                summary=LIFTING_SUMMARY,
            )
        )
        spec.case.closed_on = end + timedelta(days=rng.randint(100, 180))
        return spec


def _decision_versions():
    """Each decision's kept versions, as `cases.services.decision_save` keeps them: version 1
    when it was registered, and for an appealed one version 2 when the appeal was noted."""
    now = timezone.now()
    for decision in TribunalDecision.objects.select_related("case").order_by("pk"):
        made_by = User(pk=decision.case.caseworker_id)
        registered = min(now, timezone.make_aware(datetime.combine(decision.decided_on, time(14))))
        first = TribunalDecisionVersion.of(decision, number=1, reason="", made_by=made_by)
        first.made_at = registered
        if decision.number == 1:
            yield first
            continue
        first.appealed = False
        yield first
        changed = min(now, registered + timedelta(days=21))
        second = TribunalDecisionVersion.of(
            decision,
            number=2,
            reason=f"Anket til tingretten {changed:%d.%m.%Y}.",
            made_by=made_by,
        )
        second.made_at = changed
        yield second


def _case_specs(factory: _Factory) -> list[CaseSpec]:
    f = factory
    specs = [f.care_after_emergency() for _ in range(8)]
    specs += [f.care_after_voluntary() for _ in range(3)]
    specs += [f.care_in_institution() for _ in range(2)]
    specs += [f.care_after_emergency(recent=True) for _ in range(3)]
    specs += [
        f.emergency_pending(days_ago, age) for days_ago, age in ((3, 6), (9, 0), (19, 11), (33, 14))
    ]
    specs += [f.voluntary_ongoing(preparing=index == 0) for index in range(4)]
    specs += [f.in_home(petition=PetitionStatus.PREPARING), f.in_home(petition=PetitionStatus.SENT)]
    specs += [f.in_home(), f.in_home()]
    specs += [f.closed_voluntary(), f.closed_emergency(), f.closed_aged_out(), f.closed_lifted()]
    return specs


CASE_COUNT = 32


def _check(spec: CaseSpec, today: date) -> None:
    """Guard the generator's own arithmetic; a failure here is a bug in this module."""
    child = next(p for p in spec.persons if p.relation == Relation.CHILD)
    problems = []
    if relativedelta(today, child.date_of_birth).years >= 23:
        problems.append("child too old")
    if spec.case.opened_on > today or (
        spec.case.closed_on and spec.case.closed_on < spec.case.opened_on
    ):
        problems.append("case dates")
    ordered = sorted(spec.placements, key=lambda p: p.start_date)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.end_date is None or earlier.end_date >= later.start_date:
            problems.append("overlapping placements")
    for placement in ordered:
        if placement.start_date < child.date_of_birth or placement.start_date > today:
            problems.append("placement start")
        if placement.end_date is not None and placement.end_date < placement.start_date:
            problems.append("placement end")
    if spec.case.petition_date and spec.case.petition_date > today:
        problems.append("petition date")
    if problems:
        raise ValueError(
            f"demo builder produced a bad case ({spec.scenario}): {', '.join(problems)}"
        )


def _create_cases(rng, today, *, sections, users, places) -> dict[str, int]:
    legal = LegalReference.objects.in_bulk(field_name="key")
    factory = _Factory(rng, today, places, legal)
    backgrounds = list(MINORITY_BACKGROUNDS) * 2
    backgrounds += [NORWEGIAN] * (CASE_COUNT - len(backgrounds))
    rng.shuffle(backgrounds)
    factory.background_queue = backgrounds
    specs = _case_specs(factory)
    for spec in specs:
        _check(spec, today)

    caseworkers = {
        name: [
            u for u in users.values() if u.role == Role.CASEWORKER and u.section_id == section.pk
        ]
        for name, section in sections.items()
    }
    counsellors = [u for u in users.values() if u.role == Role.COUNSELLOR]
    turn = dict.fromkeys(sections, 0)
    team_rows = []
    # Oldest first, so case numbers within a year follow the opening dates.
    for spec in sorted(specs, key=lambda s: (s.case.opened_on, s.scenario)):
        case = spec.case
        case.section = sections[spec.section]
        workers = caseworkers[spec.section]
        case.caseworker = workers[turn[spec.section] % len(workers)]
        turn[spec.section] += 1
        case.reference = next_case_reference(case.opened_on.year)
        case.save()
        active = case.closed_on is None and (
            spec.has_care_order or case.petition_status != PetitionStatus.NONE
        )
        if rng.random() < (0.85 if active else 0.45):
            for counsellor in rng.sample(counsellors, rng.choice((1, 1, 2))):
                team_rows.append(
                    ChildCase.counsellors.through(childcase_id=case.pk, user_id=counsellor.pk)
                )
    ChildCase.counsellors.through.objects.bulk_create(team_rows)

    def bulk(model, attribute):
        rows = [row for spec in specs for row in getattr(spec, attribute)]
        model.objects.bulk_create(rows)
        return len(rows)

    counts = {"cases": len(specs)}
    counts["persons"] = bulk(Person, "persons")
    # An appealed decision was registered first and changed when the appeal came in: version 2.
    for decision in (d for spec in specs for d in spec.decisions if d.appealed):
        decision.number = 2
    counts["decisions"] = bulk(TribunalDecision, "decisions")
    TribunalDecisionVersion.objects.bulk_create(_decision_versions())
    counts["rulings"] = bulk(VisitationRuling, "rulings")
    # Each ruling's version 1, as `cases.services.ruling_save` keeps it for a new ruling.
    VisitationRulingVersion.objects.bulk_create(
        VisitationRulingVersion.of(
            ruling, number=1, reason="", made_by=User(pk=ruling.decision.case.caseworker_id)
        )
        for ruling in VisitationRuling.objects.select_related("decision__case")
    )
    counts["placements"] = bulk(Placement, "placements")
    counts["care_plans"] = bulk(CarePlan, "care_plans")
    counts["action_plans"] = bulk(ActionPlan, "action_plans")
    return counts
