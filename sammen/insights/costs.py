"""The evaluation's cost comparison (004 §6) as pure functions on Decimal.

saving = hours × (private hourly − own hourly) + km × (private per km − own per km)
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

D = Decimal


@dataclass(frozen=True)
class Rates:
    private_hourly: Decimal = D("1240")
    private_per_km: Decimal = D("6.0")
    own_hourly: Decimal = D("400")
    own_per_km: Decimal = D("3.1")

    @property
    def hourly_difference(self) -> Decimal:
        return self.private_hourly - self.own_hourly

    @property
    def km_difference(self) -> Decimal:
        return self.private_per_km - self.own_per_km


def saving(*, hours, km, rates: Rates = Rates()) -> Decimal:
    """What the same work would have cost more from a private provider."""
    return D(hours) * rates.hourly_difference + D(km) * rates.km_difference


def to_thousands(amount: Decimal) -> Decimal:
    """Rounded up to whole thousands, as the report's tables are (530 494.6 → 531 000).

    Table 6.4 shows 531 000 for 530 494.6; rounding half up would give 530 000, so the report
    rounds up. Every rounded figure of the report agrees with rounding up.
    """
    return (D(amount) / 1000).quantize(D("1"), rounding=ROUND_CEILING) * 1000


def to_whole(amount: Decimal) -> Decimal:
    return D(amount).quantize(D("1"), rounding=ROUND_HALF_UP)


def yearly(amount, *, months: int) -> Decimal:
    """A period's amount projected to twelve months (× 12 / months)."""
    return D(amount) * 12 / months


def per_case(amount, *, cases: int) -> Decimal:
    return D(amount) / cases


def project_cost(*, budget, budget_months: int, months: int) -> Decimal:
    """The share of the project budget that falls on a period of `months` months."""
    return D(budget) * months / budget_months


def net_cost(*, cost, savings) -> Decimal:
    """The project cost of the period minus what own staff saved in it."""
    return D(cost) - D(savings)


def break_even_per_case(*, net, cases: int) -> Decimal:
    """The other benefit per case that would make the project pay for itself."""
    return D(net) / cases


@dataclass(frozen=True)
class Comparison:
    """Every figure of the cost page, from its inputs."""

    hours: Decimal
    km: Decimal
    cases: int
    months: int
    rates: Rates
    budget: Decimal
    budget_months: int

    @property
    def saving(self) -> Decimal:
        return saving(hours=self.hours, km=self.km, rates=self.rates)

    @property
    def yearly(self) -> Decimal | None:
        return yearly(self.saving, months=self.months) if self.months else None

    @property
    def per_case(self) -> Decimal | None:
        return per_case(self.saving, cases=self.cases) if self.cases else None

    @property
    def project_cost(self) -> Decimal:
        return project_cost(
            budget=self.budget, budget_months=self.budget_months, months=self.months
        )

    @property
    def net_cost(self) -> Decimal:
        return net_cost(cost=self.project_cost, savings=self.saving)

    @property
    def break_even_per_case(self) -> Decimal | None:
        return break_even_per_case(net=self.net_cost, cases=self.cases) if self.cases else None


# The evaluation's inputs and published savings (004 tables 6.1, 6.2, 6.4; DOMAIN §6).
EVALUATION = [
    # district, period, hours, km, saving in table 6.4
    ("Søndre Nordstrand", "2024", 623, 2474, 531000),
    ("Stovner", "2024", 433, 2733, 372000),
    ("Søndre Nordstrand", "2025 (Jan–Sep)", 1028, 8111, 924000),
    ("Stovner", "2025 (Jan–Sep)", 432, 2947, 401000),
]


def evaluation_rows(rates: Rates = Rates()):
    """The report's figures beside what the formula gives on its published hours and km."""
    rows = []
    for district, period, hours, km, published in EVALUATION:
        computed = saving(hours=hours, km=km, rates=rates)
        rows.append(
            {
                "district": district,
                "period": period,
                "hours": hours,
                "km": km,
                "computed": to_whole(computed),
                "published": D(published),
                "matches": to_thousands(computed) == published,
            }
        )
    return rows


def calendar_months(start, end) -> int:
    """Calendar months a period touches, e.g. 1 January–30 September = 9."""
    return (end.year - start.year) * 12 + end.month - start.month + 1
