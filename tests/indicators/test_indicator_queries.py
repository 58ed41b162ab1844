"""DESIGN.md §4 on a hand-checked programme (tests/indicators/scenario.py): exact figures, both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from caseapp.indicators import milestones
from caseapp.indicators.queries import (
    ContactRow,
    IndicatorRow,
    InvalidPeriod,
    MonthPoint,
    Period,
    WardMonth,
    contact_counts,
    contact_counts_by_cohort,
    contact_total,
    indicator_by_category,
    indicator_by_cohort,
    indicator_by_ward,
    indicator_by_ward_with_series,
    indicator_entries,
    indicator_total,
    monthly_series,
)
from tests.factories import WARD_A, WARD_B, make_client, make_contact, make_need, make_referral
from tests.indicators.scenario import WARD_C, build, d

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture(autouse=True, params=["client", "join"])
def strategy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every figure is checked with both ways of computing the milestones, on whichever database runs."""
    monkeypatch.setattr(
        milestones, "MILESTONE_STRATEGY", {"sqlite": request.param, "postgresql": request.param}
    )
    return str(request.param)


WARDS = [WARD_A, WARD_B, WARD_C]
MARCH = Period.month(2026, 3)


@pytest.fixture
def scenario(app_ctx):  # type: ignore[no-untyped-def]
    return build()


def test_periods() -> None:
    assert (MARCH.start, MARCH.end, MARCH.year) == (d(1, 3), d(31, 3), 2026)
    assert Period.quarter(2026, 1) == Period(d(1, 1), d(31, 3), 2026, "quarter")
    assert Period.ytd(d(15, 3)).start == d(1, 1) and Period.ytd(d(15, 3)).end == d(15, 3)
    assert Period.full_year(2028).end == dt.date(2028, 12, 31)
    assert Period.month(2028, 2).end == dt.date(2028, 2, 29)
    with pytest.raises(InvalidPeriod):
        Period(d(1, 3), d(1, 2), 2026)
    with pytest.raises(InvalidPeriod):
        Period(dt.date(2025, 12, 1), d(1, 2), 2026)  # a period never spans two programme years
    with pytest.raises(InvalidPeriod):
        Period.quarter(2026, 5)


@pytest.mark.usefixtures("scenario")
def test_indicator_by_ward_and_city_for_march() -> None:
    assert indicator_by_ward(MARCH, WARDS) == [
        IndicatorRow(WARD_A, 2, 4),
        IndicatorRow(WARD_B, 1, 1),
        IndicatorRow(WARD_C, 1, 2),
    ]
    assert indicator_total(MARCH, WARDS) == IndicatorRow(None, 4, 7)
    assert indicator_total(MARCH, WARDS).percent == pytest.approx(400 / 7)


@pytest.mark.usefixtures("scenario")
def test_ward_figures_add_up_to_the_city_for_every_period() -> None:
    everywhere = [*WARDS, 70, 73]  # wards without data give zero rows
    for period in [Period.month(2026, m) for m in range(1, 13)] + [
        Period.quarter(2026, 2),
        Period.full_year(2026),
    ]:
        by_ward = indicator_by_ward(period, everywhere)
        city = indicator_total(period, everywhere)
        assert sum(r.numerator for r in by_ward) == city.numerator, period
        assert sum(r.denominator for r in by_ward) == city.denominator, period
        contacts = contact_counts(period, everywhere)
        assert sum(r.contacts for r in contacts) == contact_total(period, everywhere).contacts, period
        cohorts = indicator_by_cohort(period, everywhere)
        assert sum(r.denominator for r in cohorts) == city.denominator, period


@pytest.mark.usefixtures("scenario")
def test_cohort_split() -> None:
    assert indicator_by_cohort(MARCH, WARDS) == [IndicatorRow(2025, 3, 5), IndicatorRow(2026, 1, 2)]
    assert contact_counts_by_cohort(MARCH, WARDS) == [ContactRow(2025, 5, 3), ContactRow(2026, 2, 0)]


@pytest.mark.usefixtures("scenario")
def test_client_without_an_eligible_need_is_outside_the_denominator(scenario) -> None:  # type: ignore[no-untyped-def]
    # c3 has a need judged not eligible, a contact and a received service: ward A stays 2/4
    assert indicator_by_ward(MARCH, [WARD_A]) == [IndicatorRow(WARD_A, 2, 4)]
    make_need(scenario.clients["c3"], "legal", eligible=None)  # undecided is not eligible either
    assert indicator_by_ward(MARCH, [WARD_A]) == [IndicatorRow(WARD_A, 2, 4)]
    make_need(scenario.clients["c3"], "health", decided_on=d(31, 3))  # decided on the last day: now inside
    assert indicator_by_ward(MARCH, [WARD_A]) == [IndicatorRow(WARD_A, 2, 5)]


@pytest.mark.usefixtures("scenario")
def test_referral_received_after_the_period_end_does_not_count() -> None:
    # c4's legal service was received on 02/04: not in March, counted from April
    assert indicator_by_ward(MARCH, [WARD_A]) == [IndicatorRow(WARD_A, 2, 4)]
    assert indicator_by_ward(Period.month(2026, 4), [WARD_A]) == [IndicatorRow(WARD_A, 3, 4)]
    # and c7 enters ward B's denominator (and numerator) only once eligible, on 01/04
    assert indicator_by_ward(Period.month(2026, 4), [WARD_B]) == [IndicatorRow(WARD_B, 2, 2)]


@pytest.mark.usefixtures("scenario")
def test_client_with_two_services_counts_once() -> None:
    by_category = {row.key: row for row in indicator_by_category(MARCH, WARDS)}
    assert by_category["health"] == IndicatorRow("health", 2, 3)
    assert by_category["psychological"] == IndicatorRow("psychological", 1, 1)
    assert by_category["legal"] == IndicatorRow("legal", 1, 3)
    assert by_category["job_placement"] == IndicatorRow("job_placement", 1, 1)
    assert by_category["social_assistance"] == IndicatorRow("social_assistance", 0, 0)
    assert by_category["vocational_training"] == IndicatorRow("vocational_training", 0, 0)
    # c2 used two services and is one person in the total: 4 people, not 5
    assert indicator_total(MARCH, WARDS).numerator == 4


@pytest.mark.usefixtures("scenario")
def test_anonymous_contacts_count_toward_contacts_never_the_indicator() -> None:
    assert contact_counts(MARCH, WARDS) == [
        ContactRow(WARD_A, 4, 3),
        ContactRow(WARD_B, 1, 0),
        ContactRow(WARD_C, 2, 0),
    ]
    assert contact_total(Period.ytd(d(31, 3)), WARDS) == ContactRow(None, 13, 4)
    assert contact_total(Period.full_year(2026), WARDS) == ContactRow(None, 14, 5)
    before = indicator_total(Period.full_year(2026), WARDS)
    for day in range(1, 29):
        make_contact(d(day, 2), ward=WARD_A)
    assert contact_total(Period.full_year(2026), WARDS).contacts == 14 + 28
    assert indicator_total(Period.full_year(2026), WARDS) == before


@pytest.mark.usefixtures("scenario")
def test_monthly_series_is_cumulative_and_matches_year_to_date() -> None:
    assert monthly_series(MARCH, WARDS) == [
        MonthPoint(1, 3, 3, 0, 2),
        MonthPoint(2, 3, 6, 2, 4),
        MonthPoint(3, 7, 13, 4, 7),
    ]
    series = monthly_series(Period.full_year(2026), WARDS)
    assert len(series) == 12 and series[-1].cumulative_contacts == 14
    for point in series:
        month_figure = indicator_total(Period.month(2026, point.month), WARDS)
        assert (point.numerator, point.denominator) == (month_figure.numerator, month_figure.denominator)


@pytest.mark.usefixtures("scenario")
def test_a_year_to_date_line_stops_at_its_date() -> None:
    # as of 14/03 c10 (contact 15/03) is not yet in, and the March contacts stop on the 14th
    series = monthly_series(Period.ytd(d(14, 3)), WARDS)
    assert series[-1] == MonthPoint(3, 4, 10, 2, 6)


def test_previous_years_contacts_do_not_bring_anyone_in() -> None:
    client = make_client(WARD_A)
    make_need(client, "legal", decided_on=dt.date(2025, 6, 1))
    make_referral(client, "legal", on=dt.date(2025, 7, 1))
    make_contact(dt.date(2025, 12, 31), client=client)
    assert indicator_total(Period.full_year(2025), [WARD_A]) == IndicatorRow(None, 1, 1)
    assert indicator_total(Period.full_year(2026), [WARD_A]) == IndicatorRow(None, 0, 0)
    make_contact(d(2, 1), client=client)
    # in contact this year: the service used last year counts (no lower bound on the numerator)
    assert indicator_total(Period.full_year(2026), [WARD_A]) == IndicatorRow(None, 1, 1)


def test_a_client_counts_in_their_own_ward_wherever_contacted() -> None:
    client = make_client(WARD_A)
    make_need(client, "health")
    make_contact(d(3, 3), client=client, ward=WARD_B)
    assert indicator_by_ward(MARCH, [WARD_A, WARD_B]) == [
        IndicatorRow(WARD_A, 0, 1),
        IndicatorRow(WARD_B, 0, 0),
    ]
    assert contact_counts(MARCH, [WARD_A, WARD_B]) == [ContactRow(WARD_A, 0, 0), ContactRow(WARD_B, 1, 0)]


@pytest.mark.usefixtures("scenario")
def test_wards_outside_the_set_are_not_counted() -> None:
    assert indicator_total(MARCH, [WARD_C]) == IndicatorRow(None, 1, 2)
    assert indicator_total(MARCH, []) == IndicatorRow(None, 0, 0)
    assert contact_counts(MARCH, []) == []


@pytest.mark.usefixtures("scenario")
def test_the_dashboards_combined_query_agrees_with_the_separate_ones() -> None:
    for period in (MARCH, Period.ytd(d(14, 3)), Period.full_year(2026), Period.quarter(2026, 2)):
        rows, series = indicator_by_ward_with_series(period, [*WARDS, 70])
        assert rows == indicator_by_ward(period, [*WARDS, 70])
        assert series == monthly_series(period, [*WARDS, 70])


@pytest.mark.usefixtures("scenario")
def test_monthly_entries_per_ward_add_up_to_the_cumulative_figures() -> None:
    entries = indicator_entries(Period.month(2026, 4), WARDS)
    assert [e for e in entries if e.ward_code == WARD_A] == [
        WardMonth(WARD_A, 1, 2, 0),  # c4 (10/01) and c2 (20/01) in
        WardMonth(WARD_A, 2, 1, 1),  # c1 in (10/02); c2 served (01/02, in since 20/01)
        WardMonth(WARD_A, 3, 1, 1),  # c6 in (05/03); c1 served (15/03)
        WardMonth(WARD_A, 4, 0, 1),  # c4 served (02/04)
    ]
    assert len(entries) == 3 * 4  # every ward, every month, zeros included
    for month in range(1, 5):
        by_ward = {r.key: r for r in indicator_by_ward(Period.month(2026, month), WARDS)}
        for code in WARDS:
            upto = [e for e in entries if e.ward_code == code and e.month <= month]
            assert sum(e.entered for e in upto) == by_ward[code].denominator
            assert sum(e.served for e in upto) == by_ward[code].numerator
