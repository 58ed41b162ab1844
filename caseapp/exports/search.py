"""Certificates: for a secret cell, other data sets that give exactly the same files.

A certificate is two walks from the true data, one raising the secret cell by at least 1 at each step and
one lowering it. Every point of both walks is a complete, consistent set of data (no negative count, every
definition's constraint met, every suppressed figure non-zero) that gives exactly the same published files
of the whole year so far. So a certificate with k points *proves* the cell can take k values for anyone
holding the files, whatever their method: each point is a real alternative. (The converse does not hold:
failing to find a certificate proves no leak; it only makes the engine suppress more.)

A walk is made of segments, each a move repeated a number of times; a new segment starts where a
definition's constraint stops the previous one, with dependent atoms carried along (caseapp/exports/moves.py).
When no walk works as things stand, `find` returns the cheapest one that works once some shown cells of the
file being made are suppressed too: that is secondary suppression.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from caseapp.exports.lines import SHOWN, Line, line_range
from caseapp.exports.measures import YTD
from caseapp.exports.model import Cell, Move, YearModel
from caseapp.exports.moves import mixed_moves, people, plus, repairs, shift_moves, simple_moves

# suppressing a total hides more than suppressing a ward's figure: prefer the ward
LEVEL_COST = {"ward": 2, "other": 4, "cohort": 8, "city": 16}
# how many times a stopped move may carry dependent atoms along, and how many repairs are kept per level
REPAIR_DEPTH = 4
FRONTIER = 4

Segment = tuple[Move, int]  # a move and how many times it is repeated


@dataclass(frozen=True)
class Certificate:
    """Walks raising (`up`) and lowering (`down`) the secret, one value per step."""

    up: tuple[Segment, ...]
    down: tuple[Segment, ...]

    @property
    def points(self) -> int:
        return 1 + sum(n for _m, n in self.up) + sum(n for _m, n in self.down)

    def moves(self) -> list[Move]:
        return [m for m, _n in (*self.up, *self.down)]


Found = tuple[Certificate, frozenset[int]]


def recheck(model: YearModel, cell: Cell, cert: Certificate) -> Certificate | None:
    """`cert` as far as its walks still go with the statuses as they are now, if that is still k points."""
    up = _replay(model, cell, cert.up)
    down = _replay(model, cell, cert.down)
    fresh = Certificate(up, down)
    return fresh if fresh.points >= model.k else None


def find(model: YearModel, cell: Cell, current: int, hints: Iterable[Move] = ()) -> Found | None:
    """A certificate for `cell` and the shown cells of file `current` it needs suppressed (cheapest first).

    First the moves of other certificates that change this cell (`hints`: what protected last month's
    year-to-date figure usually protects this month's), then simple moves, then shifts between months,
    then moves mixing two kinds of unit (e.g. a client entering the indicator in March, contacted for the
    first time in January). A tier that yields anything ends the search.
    """
    tiers: tuple[Callable[[YearModel, Cell], Iterator[dict[int, int]]], ...] = (
        lambda _m, _c: (dict(h) for h in hints),
        simple_moves,
        shift_moves,
        mixed_moves,
    )
    for tier in tiers:
        best: tuple[tuple[int, int, int], Found] | None = None
        for index, move in enumerate(tier(model, cell)):
            found = _certify(model, cell, move, current)
            if found is None:
                continue
            if not found[1]:
                return found
            need = found[1]
            cost = (sum(_cost(model.cell(c)) for c in need), sum(model.cell(c).value for c in need), index)
            if best is None or cost < best[0]:
                best = (cost, found)
        if best is not None:
            return best[1]
    return None


def _certify(model: YearModel, cell: Cell, move: dict[int, int], current: int) -> Found | None:
    """Walk both ways from the true data along `move` (repaired where stopped); None if under k points."""
    change = model.effects(move).get(cell.id, 0)
    if not change:
        return None
    up_move = move if change > 0 else {a: -c for a, c in move.items()}
    up, up_need = _walk(model, cell, up_move, current, model.k - 1)
    if up is None:
        return None
    down, down_need = _walk(model, cell, {a: -c for a, c in up_move.items()}, current, model.k - 1)
    if down is None:
        return None
    cert = Certificate(up, down)
    return (cert, up_need | down_need) if cert.points >= model.k else None


def _walk(
    model: YearModel, cell: Cell, move: dict[int, int], current: int | None, wanted: int
) -> tuple[tuple[Segment, ...] | None, frozenset[int]]:
    """Segments from the true data along `move`, each as long as it goes, up to `wanted` steps.

    Where a segment stops, the next one carries dependent atoms along (a repaired move). None if the move
    itself changes a shown figure that cannot be suppressed.
    """
    sign = 1 if model.effects(move).get(cell.id, 0) > 0 else -1
    at: dict[int, int] = {}
    segments: list[Segment] = []
    need: frozenset[int] = frozenset()
    steps = 0
    step = _forward(model, cell, move, current, at, sign)
    if step is None:
        return None, need
    while step is not None and steps < wanted:
        seg_move, line, seg_need = step
        count = min(max(line.hi, 0), wanted - steps)
        if count:
            segments.append((_frozen(seg_move), count))
            at = plus(at, {a: c * count for a, c in seg_move.items()})
            need, steps = need | seg_need, steps + count
        stopped = _forward(model, cell, seg_move, current, at, sign) if steps < wanted else None
        step = _repaired(model, cell, move, seg_move, stopped[1], current, at, sign) if stopped else None
    return tuple(segments), need


Step = tuple[dict[int, int], Line, frozenset[int]]


def _forward(
    model: YearModel, cell: Cell, move: dict[int, int], current: int | None, at: Mapping[int, int], sign: int
) -> Step | None:
    """How far `move` goes forward from `at`, with the shown cells it needs suppressed."""
    effects = model.effects(move)
    if effects.get(cell.id, 0) * sign <= 0:
        return None
    need = frozenset(c for c in effects if model.cell(c).status == SHOWN)
    if need and (current is None or not _may_suppress(model, need, current)):
        return None
    line = line_range(model, move, need, effects, at)
    return None if line is None else (move, line, need)


def _repaired(
    model: YearModel,
    cell: Cell,
    base: dict[int, int],
    move: dict[int, int],
    line: Line,
    current: int | None,
    at: Mapping[int, int],
    sign: int,
) -> Step | None:
    """How to go on from `at` where `move` stopped: the walk's base move completed into whole people,
    then dependent atoms carried along where constraints still stop it, a few levels deep."""
    first = [_forward(model, cell, m, current, at, sign) for m in people(model, base, at)]
    frontier = [(move, _ahead(line))] + [(s[0], _ahead(s[1])) for s in first if s is not None]
    best = max((s for s in first if s is not None and s[1].hi > 0), key=lambda s: s[1].hi, default=None)
    for _depth in range(REPAIR_DEPTH):
        if not frontier or (best is not None and best[1].hi >= model.k - 1):
            break
        found = [
            _forward(model, cell, r, current, at, sign)
            for m, ln in frontier
            for r in repairs(model, m, ln, at)
        ]
        kept = sorted((s for s in found if s is not None), key=lambda s: -s[1].hi)
        if kept and kept[0][1].hi > 0 and (best is None or kept[0][1].hi > best[1].hi):
            best = kept[0]
        frontier = [(s[0], _ahead(s[1])) for s in kept[:FRONTIER]]
    return best


def _ahead(line: Line) -> Line:
    """Only the constraints that stop the walk going forward (the other side is another walk's business)."""
    return Line(line.lo, line.hi, tuple(b for b in line.binding if b[1] < 0))


def _replay(model: YearModel, cell: Cell, segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """The segments as far as they still go, in order, with nothing left to suppress."""
    at: dict[int, int] = {}
    out: list[Segment] = []
    for move, count in segments:
        step = _forward(model, cell, dict(move), None, at, 1 if _raises(model, cell, move) else -1)
        if step is None:
            break
        done = min(count, max(step[1].hi, 0))
        if done:
            out.append((move, done))
            at = plus(at, {a: c * done for a, c in move})
        if done < count:
            break
    return tuple(out)


def _raises(model: YearModel, cell: Cell, move: Move) -> bool:
    return model.effects(dict(move)).get(cell.id, 0) > 0


def _frozen(move: Mapping[int, int]) -> Move:
    return tuple(sorted(move.items()))


def _may_suppress(model: YearModel, need: frozenset[int], current: int) -> bool:
    """Only shown, non-zero cells of the file being made can still be suppressed (zeros are always shown)."""
    return all(model.cell(c).file == current and model.cell(c).value > 0 for c in need)


def _cost(cell: Cell) -> int:
    return LEVEL_COST[cell.row[0]] + (1 if cell.period == YTD else 0)
