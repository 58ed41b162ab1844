"""Per-client milestones of the service-access indicator (DESIGN.md §4), the core of every indicator query.

For each client of the requested wards who qualifies by the end of a period: the day they entered the
denominator and the day they entered the numerator. Counting milestones on or before a cutoff gives the
indicator at that date, so one pass serves a period, a ward table and the monthly line alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, Subquery, and_, case, func, select, text
from sqlalchemy.orm import aliased

from caseapp.clients.models import Client, Need
from caseapp.contacts.models import Contact
from caseapp.extensions import db
from caseapp.indicators.periods import Period
from caseapp.referrals.models import Referral, ReferralStatus

RECEIVED = ReferralStatus.RECEIVED.value


def codes(ward_codes: Iterable[int]) -> list[int]:
    """Ward codes as a sorted list without repeats (stable SQL, stable output order)."""
    return sorted({int(code) for code in ward_codes})


def prepare_reporting_query() -> None:
    """PostgreSQL: no JIT for this transaction; compiling these plans costs seconds and saves nothing."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))


def _later(first: SQLColumnExpression[Any], second: SQLColumnExpression[Any]) -> ColumnElement[Any]:
    """The later of two dates; NULL if the second is NULL (GREATEST treats NULL differently per database)."""
    return case((first >= second, first), else_=second)


def _codes(ward_codes: Iterable[int]) -> list[int]:
    return sorted({int(code) for code in ward_codes})


# how the per-client milestones are computed: "join" (GROUP BY and joins: PostgreSQL picks hash joins for the
# city and index loops for a few wards) or "client" (a correlated index probe per client: SQLite, whose
# planner only has nested loops, is fastest this way). Both give the same figures (tests run each on both).
MILESTONE_STRATEGY: dict[str, str] = {"postgresql": "join"}


def milestones(period: Period, ward_codes: Collection[int]) -> Subquery:
    """Per qualifying client: the day they entered the denominator and the day they entered the numerator.

    A client is in the denominator on day d when both an eligible decision and a contact of the year are on
    or before d, so the entry day is the later of the first of each; in the numerator when, besides, one
    eligible category has a received referral, i.e. the earliest "later of decision and receipt" over the
    categories. Columns: client_id, ward_code, entered_on, served_on (NULL if not in the numerator).
    """
    strategy = MILESTONE_STRATEGY.get(db.session.get_bind().dialect.name, "client")
    if strategy == "join":
        return _milestones_by_join(period, ward_codes)
    return _milestones_by_client(period, ward_codes)


def _first_served_on(need: Any, referral: Any, end: dt.date) -> tuple[ColumnElement[Any], list[Any]]:
    """The earliest "later of eligibility decision and receipt" over matching categories, and conditions."""
    conditions = [
        need.eligible.is_(True),
        need.eligibility_decided_on <= end,
        referral.status == RECEIVED,
        referral.received_on <= end,
    ]
    return func.min(_later(need.eligibility_decided_on, referral.received_on)), conditions


def _milestones_by_client(period: Period, ward_codes: Collection[int]) -> Subquery:
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
    served, conditions = _first_served_on(need, referral, end)
    first_served = (
        select(served)
        .select_from(need)
        .join(referral, and_(referral.client_id == need.client_id, referral.category == need.category))
        .where(need.client_id == Client.id, *conditions)
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
        .where(Client.ward_code.in_(codes(ward_codes)))
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


def _milestones_by_join(period: Period, ward_codes: Collection[int]) -> Subquery:
    end = period.end
    contacted = (
        select(Client.id.label("client_id"), Client.ward_code, func.min(Contact.contact_date).label("on"))
        .join(Contact, Contact.client_id == Client.id)
        .where(Client.ward_code.in_(codes(ward_codes)), Contact.contact_date.between(period.year_start, end))
        .group_by(Client.id, Client.ward_code)
        .cte("contacted")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    eligible = (
        select(Need.client_id, func.min(Need.eligibility_decided_on).label("on"))
        .join(contacted, contacted.c.client_id == Need.client_id)
        .where(Need.eligible.is_(True), Need.eligibility_decided_on <= end)
        .group_by(Need.client_id)
        .subquery("eligible")
    )
    need, referral = aliased(Need), aliased(Referral)
    served_on, conditions = _first_served_on(need, referral, end)
    served = (
        select(need.client_id, served_on.label("on"))
        .join(contacted, contacted.c.client_id == need.client_id)
        .join(referral, and_(referral.client_id == need.client_id, referral.category == need.category))
        .where(*conditions)
        .group_by(need.client_id)
        .subquery("served")
    )
    entered = _later(contacted.c.on, eligible.c.on)
    return (
        select(
            contacted.c.client_id,
            contacted.c.ward_code,
            entered.label("entered_on"),
            _later(entered, served.c.on).label("served_on"),
        )
        .join(eligible, eligible.c.client_id == contacted.c.client_id)
        .outerjoin(served, served.c.client_id == contacted.c.client_id)
        .subquery("milestones")
    )
