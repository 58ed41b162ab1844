"""The directions the engine tries when it looks for a certificate (caseapp/exports/search.py).

A move changes a few atoms at once. Readers of the files can only tell moves apart through published
figures, so the useful moves are those that keep many figures as they are: the same unit swapped between
two wards (every total containing both stays put), or between two months of one ward, and so on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from caseapp.exports.lines import Constraint, Line
from caseapp.exports.measures import ENTERED, FIRST, SERVED, Unit
from caseapp.exports.model import Cell, YearModel

# how many of a cell's (ward, month) positions are tried: enough in practice, and bounded
MAX_POSITIONS = 6
# how many atoms are tried when a constraint asks for one to be carried along
MAX_CARRIED = 3


def simple_moves(model: YearModel, cell: Cell) -> Iterator[dict[int, int]]:
    """A unit alone, or less the same unit in another ward (same month) or another month (same ward)."""
    for unit, ward, month, first in starts(model, cell):
        yield first
        for other in model.wards:
            if other != ward:
                yield plus(first, model.unit_move(unit, other, month, -1))
        for other_month in model.active_months:
            if other_month != month:
                yield plus(first, model.unit_move(unit, ward, other_month, -1))


def shift_moves(model: YearModel, cell: Cell) -> Iterator[dict[int, int]]:
    """Swap a unit between two wards in an earlier month and swap it back in the month being published.

    The year-to-date figures of the month being published stay as they were; only that month's own
    figures change, and those can still be suppressed.
    """
    last = model.horizon
    for unit, ward, month, first in starts(model, cell):
        if month == last:
            continue
        back = plus(first, model.unit_move(unit, ward, last, -1))
        for other in model.wards:
            if other != ward:
                yield plus(
                    back, plus(model.unit_move(unit, other, month, -1), model.unit_move(unit, other, last))
                )


def mixed_moves(model: YearModel, cell: Cell) -> Iterator[dict[int, int]]:
    """A unit plus or minus any other unit of its group, in the same ward or in the same month."""
    units = model.unit_groups(cell.measure)
    for _unit, ward, month, first in starts(model, cell):
        places = [(ward, m) for m in model.active_months if m != month]
        places += [(w, month) for w in model.wards if w != ward]
        for other_ward, other_month in places:
            for other in units:
                for sign in (1, -1):
                    yield plus(first, model.unit_move(other, other_ward, other_month, sign))


def repairs(
    model: YearModel, move: Mapping[int, int], line: Line, at: Mapping[int, int]
) -> Iterator[dict[int, int]]:
    """The move with dependent atoms carried along, where definitions' constraints stop it.

    The constraints chain people: the indicator's denominator only holds people contacted this year, its
    numerator only people of the denominator, and a first contact needs a linked contact that month. So
    moving first contacts of February from ward A to ward B runs into "A's denominator in April needs that
    many people contacted": carry one of A's denominator entries from February on along to B, as moving a
    whole person would. Each stopping constraint (one per kind and ward) gets the same choice rank; then,
    second choice, the same without the partner ward.
    """
    wards = sorted({model.atoms[a].ward for a in move})
    strongest: dict[tuple[int | None, tuple[str, ...]], tuple[Constraint, int]] = {}
    for constraint, slope in line.binding:
        key = (constraint.ward, tuple(sorted({model.atoms[a].kind for a, _c in constraint.terms})))
        if key not in strongest or abs(slope) > abs(strongest[key][1]):
            strongest[key] = (constraint, slope)
    options = [_carried(model, move, c, slope, at) for c, slope in strongest.values()]
    options = [o for o in options if o]
    for rank in range(max((len(o) for o in options), default=0)):
        for balanced in (True, False):
            repair: dict[int, int] = {}
            for choices in options:
                atom_id, change = choices[min(rank, len(choices) - 1)]
                atom = model.atoms[atom_id]
                repair = plus(repair, {atom_id: change})
                partners = [w for w in wards if w != atom.ward]
                if balanced and partners:
                    repair = plus(repair, {model.aid(atom.kind, partners[0], atom.month): -change})
            if repair:
                yield plus(move, repair)


def _carried(
    model: YearModel, move: Mapping[int, int], constraint: Constraint, slope: int, at: Mapping[int, int]
) -> list[tuple[int, int]]:
    """Atoms to carry along (with their change per step) so that `constraint` stops binding, best first.

    If the move changed the constraint's larger side (say first contacts), carry the smaller side (the
    denominator) from a month on or after the change; if it changed the smaller side, carry the larger
    side from a month on or before it. Months with something to carry come first, nearest first.
    """
    terms = dict(constraint.terms)
    moved = [(model.atoms[a].month, terms[a]) for a in move if a in terms]
    if not moved:
        return []
    start = min(month for month, _coef in moved)
    smaller = any(coef > 0 for _month, coef in moved)
    side = [a for a, coef in constraint.terms if (coef < 0) == smaller and a not in move]
    side = [a for a in side if (model.atoms[a].month >= start if smaller else model.atoms[a].month <= start)]
    # the month being published first: its figures can still be suppressed if the carried atom needs it
    side.sort(
        key=lambda a: (
            model.values[a] + at.get(a, 0) == 0,
            model.atoms[a].month != model.horizon,
            abs(model.atoms[a].month - start),
            a,
        )
    )
    return [(a, -slope * terms[a]) for a in side[:MAX_CARRIED]]


def people(model: YearModel, move: Mapping[int, int], at: Mapping[int, int]) -> Iterator[dict[int, int]]:
    """The move completed into whole people: a first contact moved with a denominator entry and a
    numerator entry of the same ward from that month on (or none), and so on for the other kinds.

    The definitions chain each person's first contact, entry into the denominator and entry into the
    numerator (a <= b <= c). Moving whole people from one ward to another keeps every chain intact, so
    these completions go as far as the data of the source ward allow.
    """
    chain = (FIRST, ENTERED, SERVED)
    changes = [(model.atoms[a], c) for a, c in move.items() if model.atoms[a].kind in chain]
    sources = [(atom, c) for atom, c in changes if c < 0]
    if not sources:
        return
    anchor, coef = min(sources, key=lambda ac: (chain.index(ac[0].kind), ac[0].ward, ac[0].month))
    targets = [
        atom.ward for atom, c in changes if c > 0 and atom.kind == anchor.kind and atom.month == anchor.month
    ]
    level = chain.index(anchor.kind)

    def options(kind: str, months: Iterable[int]) -> list[int | None]:
        held = [
            m
            for m in months
            if model.values[model.aid(kind, anchor.ward, m)] + at.get(model.aid(kind, anchor.ward, m), 0) > 0
        ]
        return [None, *held]

    later = [m for m in model.active_months if m >= anchor.month]
    earlier = [m for m in reversed(model.active_months) if m <= anchor.month]
    lists: dict[str, list[int | None]] = {anchor.kind: [anchor.month]}
    for kind in chain[level + 1 :]:
        lists[kind] = options(kind, later)
    for kind in reversed(chain[:level]):
        lists[kind] = options(kind, earlier)
    for first in lists[FIRST]:
        for entered in lists[ENTERED]:
            for served in lists[SERVED]:
                profile = {FIRST: first, ENTERED: entered, SERVED: served}
                if not _ordered(first, entered, served, anchor.kind):
                    continue
                extra: dict[int, int] = {}
                for kind, month in profile.items():
                    if month is None or kind == anchor.kind:
                        continue
                    extra[model.aid(kind, anchor.ward, month)] = coef
                    for ward in targets[:1]:
                        extra[model.aid(kind, ward, month)] = -coef
                if extra:
                    yield plus(move, extra)


def _ordered(first: int | None, entered: int | None, served: int | None, anchor: str) -> bool:
    """A person's months go first <= entered <= served; someone served was entered, entered was reached."""
    if served is not None and entered is None and anchor != ENTERED:
        return False
    if entered is not None and served is not None and served < entered:
        return False
    return not (first is not None and entered is not None and entered < first)


def starts(model: YearModel, cell: Cell) -> Iterator[tuple[Unit, int, int, dict[int, int]]]:
    """Units that change `cell`, at its largest (ward, month) positions."""
    kinds = set(cell.measure.kinds(cell.period))
    units = [u for u in model.unit_groups(cell.measure) if sum(c for kind, c in u if kind in kinds)]
    for unit in units:
        for ward, month in positions(model, cell):
            yield unit, ward, month, model.unit_move(unit, ward, month)


def positions(model: YearModel, cell: Cell) -> list[tuple[int, int]]:
    """The cell's non-empty (ward, month) positions first; latest month first (touching the fewest files)."""
    weight: dict[tuple[int, int], int] = {}
    for atom_id in cell.atoms:
        atom = model.atoms[atom_id]
        key = (atom.ward, atom.month)
        weight[key] = weight.get(key, 0) + model.values[atom_id]
    ranked = sorted(weight, key=lambda key: (weight[key] == 0, -key[1], -weight[key], key))
    return ranked[:MAX_POSITIONS]


def plus(first: Mapping[int, int], second: Mapping[int, int]) -> dict[int, int]:
    out = dict(first)
    for atom, coef in second.items():
        out[atom] = out.get(atom, 0) + coef
    return {a: c for a, c in out.items() if c}
