"""The export's figures, computed by the database (GROUP BY), as the suppression engine needs them.

The contacts and the service-access indicator come from caseapp.indicators.queries, so the export and the
dashboards share one meaning for each figure; the rest are GROUP BY queries of their own. Every query
groups by ward and month: wards outside the programme (and inactive programme wards) are folded into one
pseudo-ward (OUTSIDE), which is never shown on its own. No personal column is read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, distinct, extract, func, literal, select

from caseapp.clients.models import Client
from caseapp.contacts.models import Contact
from caseapp.exports.measures import (
    ANON,
    ENTERED,
    FIRST,
    LINKED,
    MONTH,
    NEW,
    OUTSIDE,
    SERVED,
    Atom,
    received,
    referred,
)
from caseapp.exports.model import RowKey, YearData
from caseapp.extensions import db
from caseapp.indicators.queries import Period, contact_counts, indicator_by_ward, month_end
from caseapp.referrals.models import Referral, ReferralStatus
from caseapp.wards.models import Ward

RECEIVED = ReferralStatus.RECEIVED.value


def programme_cohorts() -> dict[int, int]:
    """Programme wards (cohort set and active) and their cohort year."""
    stmt = select(Ward.code, Ward.cohort).where(Ward.cohort.is_not(None), Ward.active.is_(True))
    return {int(code): int(cohort) for code, cohort in db.session.execute(stmt)}


def year_data(year: int, month: int) -> YearData:
    """Atoms, pooling counts and a contributor source for January to `month` of `year`."""
    cohorts = programme_cohorts()
    codes = sorted(db.session.scalars(select(Ward.code)))
    atoms: Counter[Atom] = Counter()
    _contacts(atoms, year, month, codes, cohorts)
    _indicator(atoms, year, month, codes, cohorts)
    for kind, ward, m, n in _grouped_atoms(year, month, cohorts):
        atoms[Atom(kind, ward, m)] += n
    people = _people_in_ward(year, month, cohorts)
    return YearData(year, month, cohorts, dict(atoms), people, Contributors(year, cohorts))


def _fold(ward: int, cohorts: Collection[int]) -> int:
    return ward if ward in cohorts else OUTSIDE


def _contacts(
    atoms: Counter[Atom], year: int, month: int, codes: list[int], cohorts: Collection[int]
) -> None:
    for m in range(1, month + 1):
        for row in contact_counts(Period.month(year, m), codes):
            ward = _fold(int(row.key or 0), cohorts)
            atoms[Atom(LINKED, ward, m)] += row.contacts - row.anonymous
            atoms[Atom(ANON, ward, m)] += row.anonymous


def _indicator(
    atoms: Counter[Atom], year: int, month: int, codes: list[int], cohorts: Collection[int]
) -> None:
    """Entries into the denominator and numerator per month: differences of the cumulative indicator."""
    before: dict[int, tuple[int, int]] = {}
    for m in range(1, month + 1):
        for row in indicator_by_ward(Period.ytd(month_end(year, m)), codes):
            ward, key = _fold(int(row.key or 0), cohorts), int(row.key or 0)
            num, den = before.get(key, (0, 0))
            atoms[Atom(SERVED, ward, m)] += row.numerator - num
            atoms[Atom(ENTERED, ward, m)] += row.denominator - den
            before[key] = (row.numerator, row.denominator)


def _month(column: Any) -> ColumnElement[Any]:
    return extract("month", column)


def _mapped(column: Any, cohorts: Collection[int]) -> ColumnElement[Any]:
    return case((column.in_(sorted(cohorts)), column), else_=literal(OUTSIDE))


def _grouped_atoms(year: int, month: int, cohorts: Collection[int]) -> list[tuple[str, int, int, int]]:
    """First contacts of the year, registrations, referrals made and services received, per ward and month."""
    start, end = dt.date(year, 1, 1), month_end(year, month)
    firsts = (
        select(Contact.client_id, func.min(Contact.contact_date).label("first"))
        .where(Contact.client_id.is_not(None), Contact.contact_date.between(start, end))
        .group_by(Contact.client_id)
        .subquery()
    )
    ward = _mapped(Client.ward_code, cohorts)
    queries: list[tuple[Any, Select[Any]]] = [
        (
            FIRST,
            select(ward, _month(firsts.c.first), func.count())
            .select_from(firsts)
            .join(Client, Client.id == firsts.c.client_id)
            .group_by(ward, _month(firsts.c.first)),
        ),
        (
            NEW,
            select(ward, _month(Client.registered_on), func.count())
            .where(Client.registered_on.between(start, end))
            .group_by(ward, _month(Client.registered_on)),
        ),
    ]
    out = [(kind, int(w), int(m), int(n)) for kind, stmt in queries for w, m, n in db.session.execute(stmt)]
    return out + _referral_atoms(start, end, cohorts)


def _referral_atoms(
    start: dt.date, end: dt.date, cohorts: Collection[int]
) -> list[tuple[str, int, int, int]]:
    ward = _mapped(Referral.ward_code, cohorts)
    out = []
    for date, status, kind in (
        (Referral.referred_on, None, referred),
        (Referral.received_on, RECEIVED, received),
    ):
        stmt = select(ward, _month(date), Referral.category, func.count()).where(date.between(start, end))
        if status is not None:
            stmt = stmt.where(Referral.status == status)
        stmt = stmt.group_by(ward, _month(date), Referral.category)
        out += [(kind(str(c)), int(w), int(m), int(n)) for w, m, c, n in db.session.execute(stmt)]
    return out


def _people_in_ward(year: int, month: int, cohorts: Collection[int]) -> dict[tuple[int, int], int]:
    """Registered clients contacted in each programme ward, per month: the pooling rule's count."""
    start, end = dt.date(year, 1, 1), month_end(year, month)
    stmt = (
        select(Contact.ward_code, _month(Contact.contact_date), func.count(distinct(Contact.client_id)))
        .where(Contact.client_id.is_not(None), Contact.contact_date.between(start, end))
        .where(Contact.ward_code.in_(sorted(cohorts)))
        .group_by(Contact.ward_code, _month(Contact.contact_date))
    )
    return {(int(w), int(m)): int(n) for w, m, n in db.session.execute(stmt)}


Question = tuple[int, str, tuple[tuple[RowKey, frozenset[int]], ...]]  # month, period, groups


class Contributors:
    """People behind the event figures of a file, for any groups of wards (OUTSIDE: every other ward).

    Single-ward groups (a ward's row, a pooled ward, OUTSIDE) are counted by one GROUP BY per figure;
    each larger group (other wards, a cohort, the city) by its own query.
    """

    def __init__(self, year: int, cohorts: Mapping[int, int]) -> None:
        self.year, self.cohorts = year, cohorts
        # answers by question: the export asks them all before the engine runs (see prefetch)
        self.cache: dict[
            tuple[int, str, tuple[tuple[RowKey, frozenset[int]], ...]], dict[tuple[str, RowKey], int]
        ] = {}

    def __call__(
        self, month: int, period: str, groups: Mapping[RowKey, frozenset[int]]
    ) -> dict[tuple[str, RowKey], int]:
        key = (month, period, tuple(sorted(groups.items())))
        if key not in self.cache:
            self.cache[key] = self._ask(month, period, groups)
        return self.cache[key]

    def _ask(
        self, month: int, period: str, groups: Mapping[RowKey, frozenset[int]]
    ) -> dict[tuple[str, RowKey], int]:
        start = dt.date(self.year, month, 1) if period == MONTH else dt.date(self.year, 1, 1)
        end = month_end(self.year, month)
        out: dict[tuple[str, RowKey], int] = {}
        singles = {next(iter(w)): key for key, w in groups.items() if len(w) == 1}
        for code, counts in self._counts(None, start, end).items():
            if code in singles:
                out.update({(figure, singles[code]): n for figure, n in counts.items()})
        for key, wards in groups.items():
            if len(wards) > 1:
                counts = self._counts(wards, start, end).get(OUTSIDE, {})
                out.update({(figure, key): n for figure, n in counts.items()})
        return out

    def _counts(
        self, wards: frozenset[int] | None, start: dt.date, end: dt.date
    ) -> dict[int, dict[str, int]]:
        """Per folded ward (wards=None) or for one group (reported under OUTSIDE): figure -> people."""
        out: dict[int, dict[str, int]] = {}
        people = (func.count(distinct(Contact.client_id)), func.count(case((Contact.client_id.is_(None), 1))))
        stmt = self._grouped(Contact.ward_code, wards, people, ()).where(
            Contact.contact_date.between(start, end)
        )
        for ward, linked, anonymous in db.session.execute(stmt):
            out.setdefault(int(ward), {})["contacts"] = int(linked) + int(anonymous)
        for prefix, date, status in (
            ("referred", Referral.referred_on, None),
            ("received", Referral.received_on, RECEIVED),
        ):
            counted = (Referral.category, func.count(distinct(Referral.client_id)))
            query = self._grouped(Referral.ward_code, wards, counted, (Referral.category,))
            query = query.where(date.between(start, end))
            if status is not None:
                query = query.where(Referral.status == status)
            for ward, category, n in db.session.execute(query):
                out.setdefault(int(ward), {})[f"{prefix}_{category}"] = int(n)
        return out

    def _grouped(
        self, column: Any, wards: frozenset[int] | None, counted: tuple[Any, ...], keys: tuple[Any, ...]
    ) -> Select[Any]:
        """Counts per folded ward, or for the group `wards` as a whole (labelled OUTSIDE)."""
        if wards is None:
            ward = _mapped(column, self.cohorts)
            return select(ward, *counted).group_by(ward, *keys)
        stmt = select(literal(OUTSIDE), *counted).where(self._where(column, wards))
        return stmt.group_by(*keys) if keys else stmt

    def _where(self, column: Any, wards: frozenset[int]) -> ColumnElement[bool]:
        """The wards of a group; OUTSIDE stands for every ward outside the programme."""
        inside = sorted(w for w in wards if w != OUTSIDE)
        condition = column.in_(inside) if inside else literal(False)
        if OUTSIDE in wards:
            condition = condition | column.not_in(sorted(self.cohorts))
        return and_(condition)
