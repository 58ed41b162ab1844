"""The figures a dashboard shows, assembled from a fixed handful of aggregate queries.

Whatever the size of the data, a dashboard runs the same four queries: contacts by ward, contacts by month,
the indicator by ward at every month's end (which gives the monthly line too) and the indicator by category.
Totals and the cohort split are sums of the ward rows (ward figures add up to the city's by definition), so
they cannot disagree with the table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from caseapp.core.text import vietnamese_sort_key
from caseapp.indicators.charts import Meter, MonthlyChart, contacts_meter, indicator_meter, monthly_chart
from caseapp.indicators.queries import (
    IndicatorRow,
    MonthPoint,
    Period,
    contact_counts,
    indicator_by_category,
    indicator_by_ward_with_series,
)
from caseapp.targets.queries import TargetValues
from caseapp.wards.models import COHORTS, Ward


@dataclass(frozen=True)
class WardFigures:
    """One ward's line of the table: contacts in the period and the indicator at its end."""

    code: int
    name: str
    kind: str
    cohort: int | None
    contacts: int
    anonymous: int
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.numerator / self.denominator if self.denominator else None

    @property
    def empty(self) -> bool:
        return not (self.contacts or self.denominator)


@dataclass(frozen=True)
class GroupFigures:
    """A sum of ward lines: a cohort, or every ward shown."""

    key: int | None
    contacts: int
    anonymous: int
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class Dashboard:
    period: Period
    targets: TargetValues
    wards: list[WardFigures]
    total: GroupFigures
    cohorts: list[GroupFigures]
    categories: list[IndicatorRow]
    series: list[MonthPoint]
    chart: MonthlyChart
    year_contacts: int
    contacts_meter: Meter
    indicator_meter: Meter


# the ward table's sortable columns: name -> key of a row (None sorts last either way)
SORT_KEYS: dict[str, Callable[[WardFigures], Any]] = {
    "ward": lambda w: (w.kind, vietnamese_sort_key(w.name)),
    "cohort": lambda w: w.cohort,
    "contacts": lambda w: w.contacts,
    "anonymous": lambda w: w.anonymous,
    "denominator": lambda w: w.denominator,
    "numerator": lambda w: w.numerator,
    "percent": lambda w: w.percent,
}
DEFAULT_SORT = "ward"


def sort_wards(rows: Sequence[WardFigures], column: str, descending: bool = False) -> list[WardFigures]:
    """Rows ordered by a whitelisted column (unknown names sort by ward); empty values last in both orders."""
    key = SORT_KEYS.get(column, SORT_KEYS[DEFAULT_SORT])
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    return sorted(present, key=key, reverse=descending) + missing


def _sum(key: int | None, rows: Sequence[WardFigures]) -> GroupFigures:
    return GroupFigures(
        key,
        sum(r.contacts for r in rows),
        sum(r.anonymous for r in rows),
        sum(r.numerator for r in rows),
        sum(r.denominator for r in rows),
    )


def ward_figures(period: Period, wards: Sequence[Ward]) -> tuple[list[WardFigures], list[MonthPoint]]:
    """The ward table in the order of `wards`, and the monthly series over them (three queries)."""
    codes = [w.code for w in wards]
    contacts = {row.key: row for row in contact_counts(period, codes)}
    indicator_rows, series = indicator_by_ward_with_series(period, codes)
    indicator = {row.key: row for row in indicator_rows}
    rows = [
        WardFigures(
            w.code,
            w.name,
            w.kind,
            w.cohort,
            contacts[w.code].contacts,
            contacts[w.code].anonymous,
            indicator[w.code].numerator,
            indicator[w.code].denominator,
        )
        for w in wards
    ]
    return rows, series


def build_dashboard(
    period: Period, wards: Sequence[Ward], targets: TargetValues, *, hide_idle_outside: bool = False
) -> Dashboard:
    """Every figure of a dashboard over `wards` (already scoped to the user) for `period`.

    `hide_idle_outside` drops wards outside the programme that have no figures (the city's long tail).
    """
    rows, series = ward_figures(period, wards)
    cohorts = [_sum(year, [r for r in rows if r.cohort == year]) for year in COHORTS]
    outside = [r for r in rows if r.cohort is None]
    if any(not r.empty for r in outside):
        cohorts.append(_sum(None, outside))
    total = _sum(None, rows)
    year_contacts = series[-1].cumulative_contacts if series else 0
    return Dashboard(
        period=period,
        targets=targets,
        wards=[r for r in rows if not (hide_idle_outside and r.cohort is None and r.empty)],
        total=total,
        cohorts=cohorts,
        categories=indicator_by_category(period, [w.code for w in wards]),
        series=series,
        chart=monthly_chart(series, targets.service_access_pct),
        year_contacts=year_contacts,
        contacts_meter=contacts_meter(year_contacts, targets.contacts),
        indicator_meter=indicator_meter(total.percent, targets.service_access_pct),
    )
