"""What a reader knows besides the published numbers, and how far a move can go without contradicting it.

A reader of the files knows more than the shown figures: every count is a whole number, never negative;
a suppressed cell is not 0 (zeros are always shown); and the definitions tie the atoms together
(caseapp/exports/measures.py). Each such fact is a linear constraint `sum(coef * atom) >= lower`, or for one
fact an implication, and `line_range` finds how far the atoms can move along a direction from the true
values while every fact still holds: each point of that range is a complete, different set of data that
gives exactly the same files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from caseapp.exports.measures import ENTERED, FIRST, LINKED, SERVED

if TYPE_CHECKING:
    from caseapp.exports.model import YearModel

PERMANENT = 0  # constraints from the definitions; others belong to one file (the pooling rule)

# a cell's status: shown with its value, suppressed (a mark in its place), or hidden (a pooled ward's own
# figure, never in the file but still a secret to keep)
SHOWN, SUPPRESSED, HIDDEN = "shown", "suppressed", "hidden"


@dataclass(frozen=True)
class Constraint:
    """sum(coef * atom) >= lower, about months up to `month`; `file` is PERMANENT or the file implying it.

    `ward` is the ward of a definition's constraint (None for city-wide ones or the pooling rule): the engine
    uses it to carry dependent atoms along when the constraint stops a move.
    """

    terms: tuple[tuple[int, int], ...]
    lower: int
    month: int
    file: int = PERMANENT
    ward: int | None = None


@dataclass(frozen=True)
class Implication:
    """If sum(if_terms) >= 1 then sum(then_terms) >= 1 (someone was contacted if a linked contact was)."""

    if_terms: tuple[int, ...]
    then_terms: tuple[int, ...]
    month: int


@dataclass(frozen=True)
class Indexed:
    """A constraint with what checking it along a move needs: its coefficients by atom and its value on
    the true data, so that a move's few atoms are all that must be looked at (the terms can be many)."""

    constraint: Constraint
    coefs: dict[int, int]
    base: int


class ConstraintSet:
    """The constraints, indexed by atom so that a move only looks at those it touches."""

    def __init__(self, values: Sequence[int]) -> None:
        self.values = values
        self.items: list[Indexed | None] = []
        self.by_atom: list[list[int]] = [[] for _ in values]
        # implications as (if atoms, their true sum, then atoms, their true sum, month)
        self.implications: list[tuple[frozenset[int], int, frozenset[int], int, int]] = []

    def add(self, constraint: Constraint) -> None:
        index = len(self.items)
        base = sum(coef * self.values[a] for a, coef in constraint.terms)
        self.items.append(Indexed(constraint, dict(constraint.terms), base))
        for atom, _ in constraint.terms:
            self.by_atom[atom].append(index)

    def imply(self, implication: Implication) -> None:
        if_atoms, then_atoms = frozenset(implication.if_terms), frozenset(implication.then_terms)
        if_base, then_base = (sum(self.values[a] for a in atoms) for atoms in (if_atoms, then_atoms))
        self.implications.append((if_atoms, if_base, then_atoms, then_base, implication.month))

    def drop_file(self, month: int) -> None:
        self.items = [c if c is None or c.constraint.file != month else None for c in self.items]

    def touching(self, atoms: Iterable[int], horizon: int) -> list[Indexed]:
        """Constraints on these atoms about months up to `horizon` (later months do not exist yet)."""
        found = sorted({i for a in atoms for i in self.by_atom[a]})
        return [c for c in (self.items[i] for i in found) if c is not None and c.constraint.month <= horizon]


def structural_constraints(model: YearModel) -> ConstraintSet:
    """The facts every reader knows from the definitions, for every ward and month of the year so far."""
    out = ConstraintSet(model.values)
    for ward in model.wards:
        for month in model.months:
            so_far = range(1, month + 1)
            # the denominator needs a contact this year; the numerator needs the denominator
            out.add(_terms(model, ward, month, [(FIRST, 1, so_far)], [(ENTERED, -1, so_far)]))
            out.add(_terms(model, ward, month, [(ENTERED, 1, so_far)], [(SERVED, -1, so_far)]))
    for month in model.months:
        linked = [model.aid(LINKED, w, month) for w in model.wards]
        first = [model.aid(FIRST, w, month) for w in model.wards]
        reached = [model.aid(FIRST, w, m) for w in model.wards for m in range(1, month + 1)]
        # a client contacted for the first time in the month had a linked contact that month, and a linked
        # contact means someone contacted this year (a month's returning clients are not published)
        out.add(Constraint(tuple([(a, 1) for a in linked] + [(a, -1) for a in first]), 0, month))
        out.imply(Implication(tuple(linked), tuple(reached), month))
    return out


def _terms(
    model: YearModel, ward: int, month: int, *parts: Sequence[tuple[str, int, Iterable[int]]]
) -> Constraint:
    terms = [
        (model.aid(kind, ward, m), coef) for part in parts for kind, coef, months in part for m in months
    ]
    return Constraint(tuple(terms), 0, month, ward=ward)


@dataclass(frozen=True)
class Line:
    """Steps lo..hi (0 included) that contradict nothing; `binding`: definitions' constraints that stop it,
    each with its slope along the move (the engine may carry dependent atoms along to loosen them)."""

    lo: int
    hi: int
    binding: tuple[tuple[Constraint, int], ...] = ()

    @property
    def steps(self) -> int:
        return self.hi - self.lo + 1


def line_range(
    model: YearModel,
    move: Mapping[int, int],
    extra_suppressed: frozenset[int] = frozenset(),
    effects: Mapping[int, int] | None = None,
    at: Mapping[int, int] | None = None,
) -> Line | None:
    """The steps j (|j| < k) for which the data `at` (an offset from the true data) + j * move contradict
    nothing published; None if the move changes a shown figure."""
    start = at or {}
    moved = model.effects(start) if start else {}
    bounds = _Bounds(model.k - 1)
    for atom, coef in move.items():
        bounds.at_least(model.values[atom] + start.get(atom, 0), coef, 0)
    for cell_id, change in (model.effects(move) if effects is None else effects).items():
        cell = model.cell(cell_id)
        status = SUPPRESSED if cell_id in extra_suppressed else cell.status
        if status == SHOWN:
            return None
        if status == SUPPRESSED:
            bounds.at_least(cell.value + moved.get(cell_id, 0), change, 1)
    for indexed in model.constraints.touching(move, model.horizon):
        coefs = indexed.coefs
        value = indexed.base + sum(coefs[a] * n for a, n in start.items() if a in coefs)
        slope = sum(coefs[a] * n for a, n in move.items() if a in coefs)
        bounds.at_least(value, slope, indexed.constraint.lower, indexed.constraint)
    found = _implied(model, move, start, bounds.lo, bounds.hi)
    if found is None:
        return None
    lo, hi = found
    binding = tuple((c, m) for c, m, end in bounds.sources if (m > 0 and end == lo) or (m < 0 and end == hi))
    return Line(lo, hi, binding)


class _Bounds:
    def __init__(self, cap: int) -> None:
        self.lo, self.hi = -cap, cap
        self.sources: list[tuple[Constraint, int, int]] = []

    def at_least(self, value: int, slope: int, floor: int, source: Constraint | None = None) -> None:
        """Keep value + j * slope >= floor."""
        if slope > 0:
            end = -((value - floor) // slope)
            self.lo = max(self.lo, end)
        elif slope < 0:
            end = (value - floor) // -slope
            self.hi = min(self.hi, end)
        else:
            return
        if source is not None:
            self.sources.append((source, slope, end))


def _implied(
    model: YearModel, move: Mapping[int, int], start: Mapping[int, int], lo: int, hi: int
) -> tuple[int, int] | None:
    """Shrink [lo, hi] to the run around 0 where every implication holds (checked point by point)."""

    def line(atoms: frozenset[int], base: int) -> tuple[int, int]:
        """(value at the start, change per step) of a sum of atoms: each point is then O(1) to check."""
        value = base + sum(n for a, n in start.items() if a in atoms)
        return value, sum(n for a, n in move.items() if a in atoms)

    lines = [
        (line(if_atoms, if_base), line(then_atoms, then_base))
        for if_atoms, if_base, then_atoms, then_base, month in model.constraints.implications
        if month <= model.horizon and not (if_atoms.isdisjoint(move) and then_atoms.isdisjoint(move))
    ]

    def holds(j: int) -> bool:
        return all(
            v_if + j * d_if < 1 or v_then + j * d_then >= 1 for (v_if, d_if), (v_then, d_then) in lines
        )

    if lo > 0 or hi < 0 or not holds(0):
        return None
    low, high = 0, 0
    while low - 1 >= lo and holds(low - 1):
        low -= 1
    while high + 1 <= hi and holds(high + 1):
        high += 1
    return low, high
