"""An in-memory programme for the suppression engine's tests: records in, YearData out.

Independent of the database layer on purpose: the atoms, pooling counts and contributors are computed here
from plain records with Python sets, so a test compares two separate computations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from hypothesis import strategies as st

from caseapp.exports.measures import (
    ANON,
    CATEGORIES,
    ENTERED,
    FIRST,
    LINKED,
    NEW,
    OUTSIDE,
    SERVED,
    Atom,
    received,
    referred,
)
from caseapp.exports.model import RowKey, YearData


@dataclass
class Programme:
    """Plain records of one programme year, January to `month`."""

    month: int
    cohorts: dict[int, int]  # programme ward -> cohort
    outside: tuple[int, ...] = (900, 901)
    clients: dict[int, int] = field(default_factory=dict)  # client -> ward
    registered: dict[int, int] = field(default_factory=dict)  # client -> month registered (0: before)
    contacts: list[tuple[int, int, int | None]] = field(default_factory=list)  # (month, ward, client)
    referrals: list[tuple[int, str, int, int | None]] = field(default_factory=list)  # client, cat, made, got
    indicator: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)  # entered, served

    def group(self, ward: int) -> int:
        return ward if ward in self.cohorts else OUTSIDE

    def first_contact(self) -> dict[int, int]:
        first: dict[int, int] = {}
        for month, _ward, client in self.contacts:
            if client is not None:
                first[client] = min(month, first.get(client, 99))
        return first

    def atoms(self) -> dict[Atom, int]:
        out: Counter[Atom] = Counter()
        for month, ward, client in self.contacts:
            out[Atom(ANON if client is None else LINKED, self.group(ward), month)] += 1
        for client, month in self.first_contact().items():
            out[Atom(FIRST, self.group(self.clients[client]), month)] += 1
        for client, (entered, served) in self.indicator.items():
            ward = self.group(self.clients[client])
            if entered:
                out[Atom(ENTERED, ward, entered)] += 1
            if served:
                out[Atom(SERVED, ward, served)] += 1
        for client, month in self.registered.items():
            if month:
                out[Atom(NEW, self.group(self.clients[client]), month)] += 1
        for client, category, made, got in self.referrals:
            ward = self.group(self.clients[client])
            if made:
                out[Atom(referred(category), ward, made)] += 1
            if got:
                out[Atom(received(category), ward, got)] += 1
        return dict(out)

    def people_in_ward(self) -> dict[tuple[int, int], int]:
        people: dict[tuple[int, int], set[int]] = defaultdict(set)
        for month, ward, client in self.contacts:
            if client is not None and ward in self.cohorts:
                people[(ward, month)].add(client)
        return {key: len(ids) for key, ids in people.items()}

    def contributors(
        self, month: int, period: str, groups: Mapping[RowKey, frozenset[int]]
    ) -> dict[tuple[str, RowKey], int]:
        months = {month} if period == "month" else set(range(1, month + 1))
        out: dict[tuple[str, RowKey], int] = {}
        for key, wards in groups.items():
            contacts = [(w, c) for m, w, c in self.contacts if m in months and self.group(w) in wards]
            linked = {c for _w, c in contacts if c is not None}
            out[("contacts", key)] = len(linked) + sum(1 for _w, c in contacts if c is None)
            for category in CATEGORIES:
                mine = [
                    r for r in self.referrals if r[1] == category and self.group(self.clients[r[0]]) in wards
                ]
                out[(f"referred_{category}", key)] = len({r[0] for r in mine if r[2] in months})
                out[(f"received_{category}", key)] = len({r[0] for r in mine if r[3] in months})
        return out

    def year_data(self, year: int = 2026) -> YearData:
        return YearData(
            year, self.month, dict(self.cohorts), self.atoms(), self.people_in_ward(), self.contributors
        )


@st.composite
def programmes(draw: st.DrawFn, *, max_wards: int = 4, max_clients: int = 40, months: int = 2) -> Programme:
    """A random programme: a few wards in both cohorts, clients, contacts, referrals and the indicator."""
    n_wards = draw(st.integers(1, max_wards))
    cohorts = {10 + i: draw(st.sampled_from((2025, 2026))) for i in range(n_wards)}
    prog = Programme(month=months, cohorts=cohorts)
    wards = [*cohorts, *prog.outside]
    # a few big wards make shown rows likely; weights skew clients towards the first ward
    home = st.sampled_from(wards[:1] * 3 + wards)
    for client in range(draw(st.integers(0, max_clients))):
        prog.clients[client] = draw(home)
        prog.registered[client] = draw(st.integers(0, months))
        for _ in range(draw(st.integers(0, 3))):
            month = draw(st.integers(1, months))
            away = draw(st.booleans()) and draw(st.booleans())
            prog.contacts.append((month, draw(home) if away else prog.clients[client], client))
    for _ in range(draw(st.integers(0, 12))):
        prog.contacts.append((draw(st.integers(1, months)), draw(home), None))
    first = prog.first_contact()
    for client in prog.clients:
        if draw(st.integers(0, 3)) == 0:
            category = draw(st.sampled_from(CATEGORIES))
            made = draw(st.integers(0, months))
            got = draw(st.sampled_from((None, *range(max(made, 1), months + 1))))
            prog.referrals.append((client, category, made, got))
        if client in first and draw(st.booleans()):
            entered = draw(st.integers(first[client], months))
            served = draw(st.sampled_from((None, *range(entered, months + 1))))
            prog.indicator[client] = (entered, served)
    return prog
