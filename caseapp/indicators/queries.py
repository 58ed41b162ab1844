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

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, Subquery, and_, case, extract, func, select
from sqlalchemy.orm import aliased

from caseapp.clients.models import Client, Need, ServiceCategory
from caseapp.contacts.models import Contact
from caseapp.extensions import db
from caseapp.indicators.periods import InvalidPeriod, Period, month_end
from caseapp.referrals.models import Referral, ReferralStatus
from caseapp.wards.models import COHORTS, Ward

__all__ = [
    "CATEGORIES",
    "ContactRow",
    "IndicatorRow",
    "InvalidPeriod",
    "MonthPoint",
    "Period",
    "contact_counts",
    "contact_counts_by_cohort",
    "contact_total",
    "indicator_by_category",
    "indicator_by_cohort",
    "indicator_by_ward",
    "indicator_total",
    "month_end",
    "monthly_series",
]

CATEGORIES: tuple[str, ...] = tuple(c.value for c in ServiceCategory)
RECEIVED = ReferralStatus.RECEIVED.value


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


def _later(first: SQLColumnExpression[Any], second: SQLColumnExpression[Any]) -> ColumnElement[Any]:
    """The later of two dates; NULL if the second is NULL (GREATEST treats NULL differently per database)."""
    return case((first >= second, first), else_=second)


def _codes(ward_codes: Iterable[int]) -> list[int]:
    return sorted({int(code) for code in ward_codes})


def _milestones(period: Period, ward_codes: Collection[int]) -> Subquery:
    """Per qualifying client: the day they entered the denominator and the day they entered the numerator.

    A client is in the denominator on day d when both an eligible decision and a contact of the year are on
    or before d, so the entry day is the later of the first of each; in the numerator when, besides, one
    eligible category has a received referral, i.e. the earliest "later of decision and receipt" over the
    categories. Correlated subqueries keep each lookup an index probe per client of the requested wards.
    """
    end = period.end
    first_contact = (
        select(func.min(Contact.contact_date))
        .where(Contact.client_id == Client.id, Contact.contact_date.between(period.year_start, end))
        .scalar_subquery()
    )
    first_eligible = (
        select(func.min(Need.eligibility_decided_on))
        .where(Need.client_id == Client.id, Need.eligible.is_(True), Need.eligibility_decided_on <= end)
        .scalar_subquery()
    )
    need, referral = aliased(Need), aliased(Referral)
    first_served = (
        select(func.min(_later(need.eligibility_decided_on, referral.received_on)))
        .select_from(need)
        .join(referral, and_(referral.client_id == need.client_id, referral.category == need.category))
        .where(
            need.client_id == Client.id,
            need.eligible.is_(True),
            need.eligibility_decided_on <= end,
            referral.status == RECEIVED,
            referral.received_on <= end,
        )
        .scalar_subquery()
    )
    per_client = (
        select(
            Client.id.label("client_id"),
            Client.ward_code.label("ward_code"),
            first_contact.label("contacted_on"),
            first_eligible.label("eligible_on"),
            first_served.label("served_pair_on"),
        )
        .where(Client.ward_code.in_(_codes(ward_codes)))
        .cte("per_client")
        # computed once: SQLite would otherwise repeat the correlated lookups for every reference below
        .prefix_with("MATERIALIZED", dialect="sqlite")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    entered = _later(per_client.c.contacted_on, per_client.c.eligible_on)
    return (
        select(
            per_client.c.client_id,
            per_client.c.ward_code,
            entered.label("entered_on"),
            _later(entered, per_client.c.served_pair_on).label("served_on"),
        )
        .where(per_client.c.contacted_on.is_not(None), per_client.c.eligible_on.is_not(None))
        .subquery("milestones")
    )


def _indicator_rows(
    key: SQLColumnExpression[Any] | None, period: Period, ward_codes: Collection[int]
) -> dict[Any, IndicatorRow]:
    ms = _milestones(period, ward_codes)
    columns = [func.count().label("denominator"), func.count(ms.c.served_on).label("numerator")]
    stmt = select(*columns).select_from(ms)
    if key is not None:
        stmt = select(key.label("key"), *columns).select_from(ms).join(Ward, Ward.code == ms.c.ward_code)
        stmt = stmt.group_by(key)
    rows = db.session.execute(stmt).mappings().all()
    return {
        (row["key"] if key is not None else None): IndicatorRow(
            row["key"] if key is not None else None, int(row["numerator"]), int(row["denominator"])
        )
        for row in rows
    }


def indicator_total(period: Period, ward_codes: Collection[int]) -> IndicatorRow:
    """The indicator over the whole set of wards (the city, when given every ward); key is None."""
    return _indicator_rows(None, period, ward_codes).get(None, IndicatorRow(None, 0, 0))


def indicator_by_ward(period: Period, ward_codes: Collection[int]) -> list[IndicatorRow]:
    """One row per requested ward code (zeros included), in code order; they add up to indicator_total."""
    found = _indicator_rows(Ward.code, period, ward_codes)
    return [found.get(code, IndicatorRow(code, 0, 0)) for code in _codes(ward_codes)]


def indicator_by_cohort(period: Period, ward_codes: Collection[int]) -> list[IndicatorRow]:
    """Rows for cohorts 2025 and 2026, then None (wards outside the programme) if it has anyone."""
    found = _indicator_rows(Ward.cohort, period, ward_codes)
    rows = [found.get(year, IndicatorRow(year, 0, 0)) for year in COHORTS]
    return rows + ([found[None]] if None in found else [])


def indicator_by_category(period: Period, ward_codes: Collection[int]) -> list[IndicatorRow]:
    """Per service category X: denominator clients with an eligible need in X, and those who received X."""
    ms = _milestones(period, ward_codes)
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


def _contacts_stmt(period: Period, ward_codes: Collection[int]):  # type: ignore[no-untyped-def]
    return select(
        func.count().label("contacts"),
        func.count(case((Contact.client_id.is_(None), 1))).label("anonymous"),
    ).where(Contact.ward_code.in_(_codes(ward_codes)), Contact.contact_date.between(period.start, period.end))


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
    return [found.get(code, ContactRow(code, 0, 0)) for code in _codes(ward_codes)]


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


def monthly_series(period: Period, ward_codes: Collection[int]) -> list[MonthPoint]:
    """January to the period's last month: contacts per month, and the cumulative contacts and indicator.

    Two queries whatever the data size: contacts grouped by month, and one pass over the clients'
    milestones counting, for each month's end, who had entered the denominator and the numerator.
    """
    to_date = Period.ytd(period.end)
    months = to_date.months_to_date()
    contacts_stmt = (
        select(extract("month", Contact.contact_date).label("month"), func.count().label("n"))
        .where(
            Contact.ward_code.in_(_codes(ward_codes)),
            Contact.contact_date.between(to_date.start, to_date.end),
        )
        .group_by(extract("month", Contact.contact_date))
    )
    per_month = {int(m): int(n) for m, n in db.session.execute(contacts_stmt)}
    ms = _milestones(to_date, ward_codes)
    columns = []
    for month in months:
        cutoff = to_date.cutoff(month)
        columns.append(func.count(case((ms.c.entered_on <= cutoff, 1))).label(f"den{month}"))
        columns.append(func.count(case((ms.c.served_on <= cutoff, 1))).label(f"num{month}"))
    totals = db.session.execute(select(*columns).select_from(ms)).mappings().one()
    points, running = [], 0
    for month in months:
        running += per_month.get(month, 0)
        points.append(
            MonthPoint(
                month,
                per_month.get(month, 0),
                running,
                int(totals[f"num{month}"]),
                int(totals[f"den{month}"]),
            )
        )
    return points
