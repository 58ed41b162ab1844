"""Small-cell suppression for the monthly export: pooling, primary and secondary suppression, and proof.

The method (docs/export.md says the same for readers):

1. Pooling. A programme ward gets a row of its own in a month's file when at least k registered clients
   were contacted in it that month; the others are pooled into "other wards". A cohort never has exactly
   one pooled ward with data (its figures would be the cohort's minus the shown wards'): the smallest
   shown ward of that cohort is pooled with it.
2. Primary suppression. A shown cell counting 1..k-1 people, or events of 1..k-1 people, is suppressed.
   A pooled ward's own figures are never shown but are secrets all the same.
3. Secondary suppression, proved. Every suppressed cell and every secret pooled figure needs a
   certificate (caseapp/exports/search.py): a way to change the data that leaves all files of the year so
   far exactly as published while the cell takes k different values. Where none exists, the cheapest set
   of shown cells of the current file whose suppression makes one exist is suppressed, until every secret
   has a certificate. Earlier months' files are never changed, so the files of January to this month,
   read together, are protected (the subtraction YTD(this month) - YTD(last month) included).
4. Fallback. If a month cannot be protected that way, its file has no ward rows and every non-zero
   figure is suppressed, except year-to-date figures that equal last month's shown ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from caseapp.exports.lines import HIDDEN, SHOWN, SUPPRESSED, Constraint
from caseapp.exports.measures import LINKED, MEASURES, MONTH, OUTSIDE, PERIODS, YTD, Atom
from caseapp.exports.model import Cell, Move, Row, RowKey, YearData, YearModel
from caseapp.exports.search import Certificate, find, recheck
from caseapp.wards.models import COHORTS

# a count this small could point to a person in a small ward; below 5 no threshold is safe enough
DEFAULT_K = 10
MIN_K = 5
LEVEL_ORDER = {"ward": 0, "hidden": 1, "other": 2, "cohort": 3, "city": 4}
MEASURE_ORDER = {m.code: i for i, m in enumerate(MEASURES)}


class ThresholdTooLow(ValueError):
    """A suppression threshold below MIN_K was asked for."""


class ExportUnsafe(RuntimeError):
    """A month could not be protected even by the fallback: nothing is published (a bug to report)."""


NamedMove = tuple[tuple[Atom, int], ...]


@dataclass(frozen=True)
class Proof:
    """A secret cell (file, row, measure, period) and its certificate with atoms named for readers: walks
    of (move, times) segments from the true data, raising (`up`) and lowering (`down`) the secret by at
    least one at each step; every point gives the same files."""

    ref: tuple[int, RowKey, str, str]
    up: tuple[tuple[NamedMove, int], ...]
    down: tuple[tuple[NamedMove, int], ...]


@dataclass(frozen=True)
class Publication:
    """The protected files of January to `month`: each cell's value and whether it is suppressed."""

    year: int
    month: int
    k: int
    rows: dict[int, tuple[RowKey, ...]]  # file month -> rows shown, in file order
    fallback: dict[int, bool]
    cells: dict[tuple[int, RowKey, str, str], tuple[int, bool]]  # ref -> (value, suppressed)
    proofs: tuple[Proof, ...]


def check_threshold(k: int) -> int:
    if k < MIN_K:
        raise ThresholdTooLow(f"the suppression threshold must be at least {MIN_K} (asked: {k})")
    return k


def publish(data: YearData, k: int) -> Publication:
    """Protect the files of January to data.month in order, as each was (or will be) published."""
    model = YearModel(data, check_threshold(k))
    certs: dict[int, Certificate] = {}
    for month in model.months:
        model.horizon = month
        _build(model, month, ward_rows(model, month), fallback=False)
        if not _protect(model, month, certs):
            _build(model, month, fallback_rows(model), fallback=True)
            if not _protect(model, month, certs):
                raise ExportUnsafe(f"month {month} of {data.year} could not be protected")
    return _publication(model, certs)


def prefetch(data: YearData, k: int) -> None:
    """Ask the data layer every question `publish` can ask, so the engine then runs without the database.

    The rows of each month's file (and of its fallback) depend on the data alone, not on suppression.
    """
    model = YearModel(data, check_threshold(k))
    for month in model.months:
        model.horizon = month
        for rows in (ward_rows(model, month), fallback_rows(model)):
            groups = {row.key: row.wards for row in rows}
            for period in PERIODS:
                data.contributors(month, period, groups)


def ward_rows(model: YearModel, month: int) -> list[Row]:
    """The rows of a month's file: shown wards, other wards, cohorts, city; then hidden per-ward rows."""
    cohorts = model.data.cohorts
    people = {w: model.data.people_in_ward.get((w, month), 0) for w in cohorts}
    shown = {w for w in cohorts if people[w] >= model.k}
    for year in COHORTS:
        members = [w for w in cohorts if cohorts[w] == year]
        pooled = [w for w in members if w not in shown]
        if len(pooled) == 1 and _has_data(model, pooled[0], month) and len(pooled) < len(members):
            shown.discard(min((w for w in members if w in shown), key=lambda w: (people[w], w)))
    rows = [Row(("ward", w), frozenset({w})) for w in sorted(shown)]
    if shown:
        rows.append(Row(("other", 0), frozenset(model.wards) - shown))
    return rows + _totals(model) + [Row(("hidden", w), frozenset({w})) for w in model.wards if w not in shown]


def fallback_rows(model: YearModel) -> list[Row]:
    return _totals(model) + [Row(("hidden", w), frozenset({w})) for w in model.wards]


def _totals(model: YearModel) -> list[Row]:
    cohorts = model.data.cohorts
    rows = [Row(("cohort", y), frozenset(w for w in cohorts if cohorts[w] == y)) for y in COHORTS]
    return [*rows, Row(("city", 0), frozenset(model.wards))]


def _has_data(model: YearModel, ward: int, month: int) -> bool:
    return any(model.values[i] for i, a in enumerate(model.atoms) if a.ward == ward and a.month <= month)


def _build(model: YearModel, month: int, rows: list[Row], *, fallback: bool) -> None:
    state = model.add_file(month, rows)
    state.fallback = fallback
    for row in rows:
        if row.key[0] == "ward" and not fallback:
            # the pooling rule tells readers a shown ward had at least k linked contacts that month
            atom = model.aid(LINKED, row.key[1], month)
            model.constraints.add(Constraint(((atom, 1),), model.k, month, file=month))
    for cell_id in state.cells:
        cell = model.cell(cell_id)
        if cell.status == SHOWN and (_determined(model, cell) is False if fallback else cell.sensitive):
            cell.status = SUPPRESSED


def _determined(model: YearModel, cell: Cell) -> bool | None:
    """In a fallback file: None for zeros, True for a YTD figure equal to last month's shown one."""
    if cell.value == 0:
        return None
    if cell.period != YTD or cell.file == 1 or not cell.measure.month_kinds:
        return False
    same_month = _find(model, cell.file, cell.row, cell.measure.code, MONTH)
    before = _find(model, cell.file - 1, cell.row, cell.measure.code, YTD)
    return bool(same_month and same_month.value == 0 and before and before.status == SHOWN)


def _find(model: YearModel, month: int, row: RowKey, measure: str, period: str) -> Cell | None:
    state = model.files.get(month)
    for cell_id in state.cells if state else ():
        cell = model.cell(cell_id)
        if cell.row == row and cell.measure.code == measure and cell.period == period:
            return cell
    return None


def _protect(model: YearModel, month: int, certs: dict[int, Certificate]) -> bool:
    """Suppress more cells of `month` until every secret of every file has a certificate."""
    hints: dict[int, list[Move]] = defaultdict(list)
    for cert in certs.values():
        _add_hints(model, month, cert, hints)
    changed = True
    while changed:
        changed = False
        for cell in _secrets(model):
            known = certs.get(cell.id)
            fresh = recheck(model, cell, known) if known is not None else None
            if fresh is not None:
                certs[cell.id] = fresh
                continue
            found = find(model, cell, month, hints.get(cell.id, ()))
            if found is None:
                return False
            certs[cell.id], need = found
            _add_hints(model, month, found[0], hints)
            for cell_id in need:
                model.cell(cell_id).status = SUPPRESSED
            changed = changed or bool(need)
    return True


def _add_hints(model: YearModel, month: int, cert: Certificate, hints: dict[int, list[Move]]) -> None:
    for move in cert.moves():
        for cell_id in model.effects(dict(move)):
            cell = model.cells[cell_id]
            if cell is not None and cell.file == month and move not in hints[cell_id]:
                hints[cell_id].append(move)


def _secrets(model: YearModel) -> Iterator[Cell]:
    cells = [c for c in model.live_cells() if c.status == SUPPRESSED or (c.status == HIDDEN and c.sensitive)]
    yield from sorted(cells, key=_order)


def _order(cell: Cell) -> tuple[int, int, int, int, int]:
    level = LEVEL_ORDER[cell.row[0]]
    return (cell.file, level, cell.row[1], MEASURE_ORDER[cell.measure.code], 0 if cell.period == MONTH else 1)


def _proof(model: YearModel, cell: Cell, cert: Certificate) -> Proof:
    def named(walk: tuple[tuple[Move, int], ...]) -> tuple[tuple[NamedMove, int], ...]:
        return tuple((tuple((model.atoms[a], coef) for a, coef in move), n) for move, n in walk)

    return Proof(cell.ref, named(cert.up), named(cert.down))


def _publication(model: YearModel, certs: dict[int, Certificate]) -> Publication:
    cells = {c.ref: (c.value, c.status == SUPPRESSED) for c in model.live_cells() if c.status != HIDDEN}
    proofs = tuple(_proof(model, c, certs[c.id]) for c in _secrets(model))
    return Publication(
        year=model.data.year,
        month=model.data.month,
        k=model.k,
        rows={m: tuple(r.key for r in s.rows if r.shown) for m, s in model.files.items()},
        fallback={m: s.fallback for m, s in model.files.items()},
        cells=cells,
        proofs=proofs,
    )


__all__ = ["DEFAULT_K", "MIN_K", "OUTSIDE", "ExportUnsafe", "Publication", "ThresholdTooLow", "publish"]
