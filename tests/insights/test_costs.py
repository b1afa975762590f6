"""The evaluation's cost figures (004 §6, DOMAIN §6), reproduced by the calculator."""

from datetime import date
from decimal import Decimal as D

from sammen.insights import costs

RATES = costs.Rates()


def test_the_default_rates_are_the_evaluations():
    assert costs.Rates(D("1240"), D("6.0"), D("400"), D("3.1")) == RATES


def test_soendre_nordstrand_2024_saves_530_495():
    assert costs.saving(hours=623, km=2474) == D("530494.6")
    assert costs.to_whole(costs.saving(hours=623, km=2474)) == 530495


def test_soendre_nordstrand_2024_rounds_to_the_reports_531_000():
    # The report rounds up: half-up rounding would give 530 000.
    assert costs.to_thousands(costs.saving(hours=623, km=2474)) == 531000


def test_stovner_2024_saves_371_646():
    assert costs.to_whole(costs.saving(hours=433, km=2733)) == 371646  # 371 645.7


def test_stovner_2024_rounds_to_the_reports_372_000():
    assert costs.to_thousands(costs.saving(hours=433, km=2733)) == 372000


def test_soendre_nordstrand_2025_yearly_projection_is_1_232_000():
    assert costs.yearly(924000, months=9) == 1232000


def test_stovner_2025_yearly_projection_is_534_667_about_535_000():
    yearly = costs.yearly(401000, months=9)
    assert costs.to_whole(yearly) == 534667
    assert costs.to_thousands(yearly) == 535000


def test_soendre_nordstrand_2025_saving_per_case_is_about_40_174():
    assert costs.to_whole(costs.per_case(924000, cases=23)) == 40174


def test_stovner_2025_saving_per_case_is_about_22_278():
    assert costs.to_whole(costs.per_case(401000, cases=18)) == 22278


def test_project_cost_jan_to_sep_2025_is_3_607_500():
    assert costs.project_cost(budget=12025000, budget_months=30, months=9) == 3607500


def test_net_cost_jan_to_sep_2025_is_2_282_500():
    cost = costs.project_cost(budget=12025000, budget_months=30, months=9)
    assert costs.net_cost(cost=cost, savings=924000 + 401000) == 2282500


def test_break_even_other_benefit_is_about_55_671_per_case_or_56_000():
    per_case = costs.break_even_per_case(net=2282500, cases=23 + 18)
    assert costs.to_whole(per_case) == 55671
    assert costs.to_thousands(per_case) == 56000


def test_soendre_nordstrand_2025_formula_gives_887_042_not_the_reports_924_000():
    computed = costs.to_whole(costs.saving(hours=1028, km=8111))
    assert computed == 887042  # 887 041.9
    assert costs.to_thousands(computed) != 924000


def test_stovner_2025_formula_gives_371_426_not_the_reports_401_000():
    computed = costs.to_whole(costs.saving(hours=432, km=2947))
    assert computed == 371426  # 371 426.3
    assert costs.to_thousands(computed) != 401000


def test_the_evaluation_table_marks_2024_as_agreeing_and_2025_as_not():
    assert [row["matches"] for row in costs.evaluation_rows()] == [True, True, False, False]


def test_the_comparison_puts_the_figures_together():
    c = costs.Comparison(
        hours=D(1028 + 432),
        km=D(8111 + 2947),
        cases=41,
        months=9,
        rates=RATES,
        budget=D("12025000"),
        budget_months=30,
    )
    assert c.saving == D("887041.9") + D("371426.3")
    assert c.project_cost == 3607500
    assert c.net_cost == c.project_cost - c.saving
    assert c.break_even_per_case == c.net_cost / 41
    assert c.yearly == c.saving * 12 / 9


def test_a_period_of_january_to_september_is_nine_calendar_months():
    assert costs.calendar_months(date(2025, 1, 1), date(2025, 9, 30)) == 9
    assert costs.calendar_months(date(2024, 12, 15), date(2025, 1, 2)) == 2
