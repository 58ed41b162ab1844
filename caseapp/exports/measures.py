"""What the monthly export counts, each figure a sum of per-ward, per-month building blocks ("atoms").

Writing every figure as a sum of atoms lets the suppression engine see exactly what a reader can work out
by adding and subtracting published figures: a cell of the file is a sum over the atoms of its row's wards
and its period's months. The atoms are chosen so that every fact a reader knows from the definitions is a
linear constraint on them (a ward's clients contacted in March cannot exceed its clients contacted so far,
...), which the engine states in caseapp/exports/lines.py.

Atom kinds, per ward and calendar month of the programme year:

* linked / anon: contacts with a registered client / anonymous contacts, in the ward where they took place;
* first: clients (by their own ward) whose first contact of the year falls in the month;
* entered / served: clients (by their own ward) entering the indicator's denominator / numerator (DESIGN §4);
* new: clients registered in the month, by their ward;
* referred:<category> / received:<category>: referrals made / services received, in the referral's ward.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseapp.clients.models import ServiceCategory

# every ward outside the programme (and inactive programme wards) is one pseudo-ward: never shown on its own
OUTSIDE = 0

CATEGORIES: tuple[str, ...] = tuple(c.value for c in ServiceCategory)

LINKED, ANON, FIRST, ENTERED, SERVED, NEW = ("linked", "anon", "first", "entered", "served", "new")
MONTH, YTD = "month", "ytd"
PERIODS = (MONTH, YTD)


def referred(category: str) -> str:
    return f"referred:{category}"


def received(category: str) -> str:
    return f"received:{category}"


ATOM_KINDS: tuple[str, ...] = (
    LINKED,
    ANON,
    FIRST,
    ENTERED,
    SERVED,
    NEW,
    *(referred(c) for c in CATEGORIES),
    *(received(c) for c in CATEGORIES),
)


@dataclass(frozen=True, order=True)
class Atom:
    """One building block: a count of one kind, in one ward (or OUTSIDE), in one month (1-12)."""

    kind: str
    ward: int
    month: int


@dataclass(frozen=True)
class Measure:
    """A figure of the export: which atoms its month and year-to-date cells add up.

    `people` says whether the figure counts people (so a value of 1..k-1 is a small cell) or events, which
    are small when they come from fewer than k people. `group` names the measures that share atoms: the
    engine protects them together.
    """

    code: str
    month_kinds: tuple[str, ...]
    ytd_kinds: tuple[str, ...]
    people: bool
    group: str

    def kinds(self, period: str) -> tuple[str, ...]:
        return self.month_kinds if period == MONTH else self.ytd_kinds

    def periods(self) -> tuple[str, ...]:
        return tuple(p for p in PERIODS if self.kinds(p))


CONTACT_GROUP = "contact"

MEASURES: tuple[Measure, ...] = (
    Measure("contacts", (LINKED, ANON), (LINKED, ANON), False, CONTACT_GROUP),
    # each anonymous contact is counted as one person: nobody can tell whether two were the same person
    Measure("anonymous_contacts", (ANON,), (ANON,), True, CONTACT_GROUP),
    # distinct people contacted so far this year; the month's figure counts those contacted for the first
    # time this year, so that months add up to the year (a count of everyone contacted in the month would
    # tie each month to all the others and leak through their differences)
    Measure("clients_contacted", (FIRST,), (FIRST,), True, CONTACT_GROUP),
    Measure("new_clients", (NEW,), (NEW,), True, NEW),
    *(Measure(f"referred_{c}", (referred(c),), (referred(c),), False, referred(c)) for c in CATEGORIES),
    *(Measure(f"received_{c}", (received(c),), (received(c),), False, received(c)) for c in CATEGORIES),
    # the indicator is cumulative by definition (a month's figure is the year-to-date one at its end)
    Measure("indicator_numerator", (), (SERVED,), True, CONTACT_GROUP),
    Measure("indicator_denominator", (), (ENTERED,), True, CONTACT_GROUP),
)
MEASURES_BY_CODE: dict[str, Measure] = {m.code: m for m in MEASURES}

# event measures whose contributors (distinct people) the data layer counts
EVENT_MEASURES: tuple[str, ...] = tuple(m.code for m in MEASURES if not m.people)

# A unit move changes atoms of one ward and month together, keeping the definitions' constraints: e.g.
# "one more anonymous and one fewer linked contact" leaves the contacts figure as it is.
Unit = tuple[tuple[str, int], ...]


def _contact_units() -> tuple[Unit, ...]:
    lk, a, f, e, s = ((k, 1) for k in (LINKED, ANON, FIRST, ENTERED, SERVED))
    return (
        (lk,),
        (a,),
        (a, (LINKED, -1)),
        (f,),
        (e,),
        (s,),
        (e, f),
        (s, e),
        (s, e, f),
        (f, lk),
        (e, f, lk),
        (s, e, f, lk),
    )


UNITS: dict[str, tuple[Unit, ...]] = {
    CONTACT_GROUP: _contact_units(),
    **{m.group: (((m.month_kinds[0], 1),),) for m in MEASURES if m.group != CONTACT_GROUP},
}
