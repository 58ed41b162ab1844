"""The programme's figures (DESIGN.md §4), computed by the database for any period and any set of wards.

One meaning for each figure: the dashboards and the monthly export (issue 6) call these functions. Every
function takes the ward codes explicitly (the caller scopes them, e.g. `caseapp.wards.queries.visible_wards`),
returns one row per requested key (zeros included) and runs a fixed number of GROUP BY queries; no function
loads case rows into Python.

Contacts
    `Contact` rows dated in the period whose own ward is in the set, anonymous contacts included. The 550
    target counts the contacts of the programme year (`Period.full_year` or `Period.ytd`).

Service-access indicator, for a period P and wards W, over clients whose ward (`clients.ward_code`) is in W:
    denominator: distinct clients with at least one need with `eligible = yes` whose eligibility was decided
        on or before P.end, and at least one contact dated from 1 January of P's programme year to P.end;
    numerator: those with at least one referral in the category of one of those eligible needs whose status
        is `received` with `received_on` on or before P.end.

Choices made where DESIGN.md §4 leaves room (documented here because the export repeats them):

* The numerator has no lower date bound. §4 bounds only the contact by the programme year; the eligible need
  and the received referral are bounded by "the end of P" alone. So a person the programme is in contact with
  this year and who used an eligible service last year counts as having accessed a service. The denominator
  is always the programme year's; P only moves the cut-off date, so a month's figure equals the year-to-date
  figure at that month's end (the monthly line is cumulative by construction).
* A person belongs to one ward, the client's current ward, so ward figures add up to the city's even when a
  client was contacted in several wards; contacts themselves count in the ward where they took place.
* Anonymous contacts (no client) count toward the contacts figure and never toward the indicator.
* A need marked eligible without a decision date is not counted (the date decides which period it enters).
  Eligibility is read as it stands today: the model keeps no history of changed decisions.
* Closed, restricted and erased clients still count for the periods in which they qualified, so a later
  closure or erasure does not rewrite past statistics. Demo data is never mixed with real data (the demo
  loader refuses a database with real rows), so it is not filtered here.
* By service category X: denominator = clients of the denominator with an eligible need in X; numerator =
  those of them with a received referral in X. A client with needs in two categories appears in both rows,
  so category rows do not add up to the total (the total counts each person once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, SQLColumnExpression, case, extract, func, select

from caseapp.clients.models import Need, ServiceCategory
from caseapp.contacts.models import Contact
from caseapp.extensions import db
from caseapp.indicators.milestones import RECEIVED, codes, milestones, prepare_reporting_query
from caseapp.indicators.periods import InvalidPeriod, Period, month_end
from caseapp.referrals.models import Referral
from caseapp.wards.models import COHORTS, Ward

__all__ = [
    "CATEGORIES",
    "ContactRow",
    "IndicatorRow",
    "InvalidPeriod",
    "MonthPoint",
    "Period",
    "WardMonth",
    "contact_counts",
    "contact_counts_by_cohort",
    "contact_total",
    "indicator_by_category",
    "indicator_by_cohort",
    "indicator_by_ward",
    "indicator_by_ward_with_series",
    "indicator_entries",
    "indicator_total",
    "month_end",
    "monthly_series",
]

CATEGORIES: tuple[str, ...] = tuple(c.value for c in ServiceCategory)


@dataclass(frozen=True)
class IndicatorRow:
    """Numerator and denominator for one key: a ward code, a cohort year (None: no cohort), a category."""

    key: int | str | None
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        """The indicator in percent, None when nobody is in the denominator."""
        return 100.0 * self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class ContactRow:
    """Contacts for one key (ward code or cohort): all of them, and how many were anonymous."""

    key: int | None
    contacts: int
    anonymous: int


@dataclass(frozen=True)
class WardMonth:
    """Clients of a ward who entered the indicator's denominator, and its numerator, during one month."""

    ward_code: int
    month: int
    entered: int
    served: int


@dataclass(frozen=True)
class MonthPoint:
    """One month of the year: its contacts, and the contacts and indicator accumulated up to its end."""

    month: int
    contacts: int
    cumulative_contacts: int
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.numerator / self.denominator if self.denominator else None


def _counts_at(
    key: SQLColumnExpression[Any] | None, period: Period, ward_codes: Collection[int], cutoffs: list[dt.date]
) -> dict[Any, list[tuple[int, int]]]:
    """(numerator, denominator) at each cutoff date, per key (a Ward column) or overall: one query."""
    prepare_reporting_query()
    ms = milestones(period, ward_codes)
    columns = []
    for i, cutoff in enumerate(cutoffs):
        columns.append(func.count(case((ms.c.served_on <= cutoff, 1))).label(f"num{i}"))
        columns.append(func.count(case((ms.c.entered_on <= cutoff, 1))).label(f"den{i}"))
    stmt = select(*columns).select_from(ms)
    if key is not None:
        stmt = select(key.label("key"), *columns).select_from(ms).join(Ward, Ward.code == ms.c.ward_code)
        stmt = stmt.group_by(key)
    return {
        (row["key"] if key is not None else None): [
            (int(row[f"num{i}"]), int(row[f"den{i}"])) for i in range(len(cutoffs))
        ]
        for row in db.session.execute(stmt).mappings()
    }


def _indicator_rows(
    key: SQLColumnExpression[Any] | None, period: Period, ward_codes: Collection[int]
) -> dict[Any, IndicatorRow]:
    found = _counts_at(key, period, ward_codes, [period.end])
    return {k: IndicatorRow(k, *values[0]) for k, values in found.items()}


def indicator_total(period: Period, ward_codes: Collection[int]) -> IndicatorRow:
    """The indicator over the whole set of wards (the city, when given every ward); key is None."""
    return _indicator_rows(None, period, ward_codes).get(None, IndicatorRow(None, 0, 0))


def indicator_by_ward(period: Period, ward_codes: Collection[int]) -> list[IndicatorRow]:
    """One row per requested ward code (zeros included), in code order; they add up to indicator_total."""
    found = _indicator_rows(Ward.code, period, ward_codes)
    return [found.get(code, IndicatorRow(code, 0, 0)) for code in codes(ward_codes)]


def indicator_by_cohort(period: Period, ward_codes: Collection[int]) -> list[IndicatorRow]:
    """Rows for cohorts 2025 and 2026, then None (wards outside the programme) if it has anyone."""
    found = _indicator_rows(Ward.cohort, period, ward_codes)
    rows = [found.get(year, IndicatorRow(year, 0, 0)) for year in COHORTS]
    return rows + ([found[None]] if None in found else [])


def indicator_by_category(period: Period, ward_codes: Collection[int]) -> list[IndicatorRow]:
    """Per service category X: denominator clients with an eligible need in X, and those who received X."""
    prepare_reporting_query()
    ms = milestones(period, ward_codes)
    received_same_category = (
        select(Referral.id)
        .where(
            Referral.client_id == Need.client_id,
            Referral.category == Need.category,
            Referral.status == RECEIVED,
            Referral.received_on <= period.end,
        )
        .exists()
    )
    stmt = (
        select(
            Need.category,
            func.count().label("denominator"),
            func.sum(case((received_same_category, 1), else_=0)).label("numerator"),
        )
        .select_from(ms)
        .join(Need, Need.client_id == ms.c.client_id)
        .where(Need.eligible.is_(True), Need.eligibility_decided_on <= period.end)
        .group_by(Need.category)
    )
    found = {cat: IndicatorRow(cat, int(num or 0), int(den)) for cat, den, num in db.session.execute(stmt)}
    return [found.get(cat, IndicatorRow(cat, 0, 0)) for cat in CATEGORIES]


def _contacts_stmt(period: Period, ward_codes: Collection[int]) -> Select[Any]:
    return select(
        func.count().label("contacts"),
        func.count(case((Contact.client_id.is_(None), 1))).label("anonymous"),
    ).where(Contact.ward_code.in_(codes(ward_codes)), Contact.contact_date.between(period.start, period.end))


def contact_total(period: Period, ward_codes: Collection[int]) -> ContactRow:
    """Contacts dated in the period in these wards, anonymous included; key is None."""
    row = db.session.execute(_contacts_stmt(period, ward_codes)).one()
    return ContactRow(None, int(row.contacts), int(row.anonymous))


def contact_counts(period: Period, ward_codes: Collection[int]) -> list[ContactRow]:
    """One row per requested ward code (zeros included), in code order; they add up to contact_total."""
    stmt = _contacts_stmt(period, ward_codes).add_columns(Contact.ward_code).group_by(Contact.ward_code)
    found = {
        row.ward_code: ContactRow(row.ward_code, row.contacts, row.anonymous)
        for row in db.session.execute(stmt)
    }
    return [found.get(code, ContactRow(code, 0, 0)) for code in codes(ward_codes)]


def contact_counts_by_cohort(period: Period, ward_codes: Collection[int]) -> list[ContactRow]:
    """Rows for cohorts 2025 and 2026, then None (wards outside the programme) if it has contacts."""
    stmt = (
        _contacts_stmt(period, ward_codes)
        .add_columns(Ward.cohort)
        .join(Ward, Ward.code == Contact.ward_code)
        .group_by(Ward.cohort)
    )
    found = {
        row.cohort: ContactRow(row.cohort, row.contacts, row.anonymous) for row in db.session.execute(stmt)
    }
    rows = [found.get(year, ContactRow(year, 0, 0)) for year in COHORTS]
    return rows + ([found[None]] if None in found else [])


def _contacts_by_month(period: Period, ward_codes: Collection[int]) -> dict[int, int]:
    month = extract("month", Contact.contact_date)
    stmt = (
        select(month.label("month"), func.count().label("n"))
        .where(
            Contact.ward_code.in_(codes(ward_codes)), Contact.contact_date.between(period.start, period.end)
        )
        .group_by(month)
    )
    return {int(m): int(n) for m, n in db.session.execute(stmt)}


def _series(to_date: Period, contacts: dict[int, int], counts: list[tuple[int, int]]) -> list[MonthPoint]:
    points, running = [], 0
    for month, (numerator, denominator) in zip(to_date.months_to_date(), counts, strict=True):
        running += contacts.get(month, 0)
        points.append(MonthPoint(month, contacts.get(month, 0), running, numerator, denominator))
    return points


def monthly_series(period: Period, ward_codes: Collection[int]) -> list[MonthPoint]:
    """January to the period's last month: contacts per month, and the cumulative contacts and indicator.

    Two queries whatever the data size: contacts grouped by month, and one pass over the clients'
    milestones counting, for each month's end, who had entered the denominator and the numerator.
    """
    to_date = Period.ytd(period.end)
    cutoffs = [to_date.cutoff(month) for month in to_date.months_to_date()]
    counts = _counts_at(None, to_date, ward_codes, cutoffs).get(None) or [(0, 0)] * len(cutoffs)
    return _series(to_date, _contacts_by_month(to_date, ward_codes), counts)


def indicator_by_ward_with_series(
    period: Period, ward_codes: Collection[int]
) -> tuple[list[IndicatorRow], list[MonthPoint]]:
    """indicator_by_ward and monthly_series together, in two queries instead of four (for dashboards)."""
    to_date = Period.ytd(period.end)
    cutoffs = [to_date.cutoff(month) for month in to_date.months_to_date()]
    found = _counts_at(Ward.code, to_date, ward_codes, cutoffs)
    empty = [(0, 0)] * len(cutoffs)
    rows = [IndicatorRow(code, *found.get(code, empty)[-1]) for code in codes(ward_codes)]
    totals = [
        (sum(found[code][i][0] for code in found), sum(found[code][i][1] for code in found))
        for i in range(len(cutoffs))
    ]
    return rows, _series(to_date, _contacts_by_month(to_date, ward_codes), totals)


def indicator_entries(period: Period, ward_codes: Collection[int]) -> list[WardMonth]:
    """Per ward and month (January to the period's end): clients entering the denominator and the numerator.

    One query. Entries are the monthly steps of the cumulative indicator: summing a ward's months 1..m gives
    indicator_by_ward at the end of month m (the building blocks of the monthly export, issue 6).
    """
    to_date = Period.ytd(period.end)
    months = to_date.months_to_date()
    found = _counts_at(Ward.code, to_date, ward_codes, [to_date.cutoff(month) for month in months])
    rows = []
    for code in codes(ward_codes):
        cumulative = [(0, 0), *found.get(code, [(0, 0)] * len(months))]
        for i, month in enumerate(months, start=1):
            (num, den), (prev_num, prev_den) = cumulative[i], cumulative[i - 1]
            rows.append(WardMonth(code, month, den - prev_den, num - prev_num))
    return rows
