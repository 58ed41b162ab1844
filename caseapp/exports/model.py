"""The year's publications as linear algebra: atoms with their true values, and cells as sums of atoms.

A `YearModel` holds every file published so far this year (January to the export's month), because a
reader holds them too: a cell of March is protected only if nothing published in January, February or
March pins it down. Pure Python; the data layer (caseapp/exports/figures.py) fills `YearData`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from caseapp.exports.lines import HIDDEN, SHOWN, ConstraintSet, structural_constraints
from caseapp.exports.measures import ATOM_KINDS, MEASURES, MONTH, OUTSIDE, PERIODS, UNITS, Atom, Measure, Unit

# ("ward", code) | ("hidden", code) | ("other", 0) | ("cohort", year) | ("city", 0)
RowKey = tuple[str, int]
ROW_LEVELS = ("ward", "hidden", "other", "cohort", "city")

# a move: atom id -> change, sorted by atom id
Move = tuple[tuple[int, int], ...]


class ContributorSource(Protocol):
    """People behind the event cells of a file: (measure code, row key) -> distinct people."""

    def __call__(
        self, month: int, period: str, groups: Mapping[RowKey, frozenset[int]]
    ) -> Mapping[tuple[str, RowKey], int]: ...


@dataclass(frozen=True)
class YearData:
    """Everything the engine needs from the database, for January to `month` of `year`."""

    year: int
    month: int
    cohorts: Mapping[int, int]  # programme ward (cohort set, active) -> cohort year
    atoms: Mapping[Atom, int]  # missing atoms are 0; wards are programme wards or OUTSIDE
    people_in_ward: Mapping[tuple[int, int], int]  # (ward, month) -> registered clients contacted there
    contributors: ContributorSource


@dataclass(frozen=True)
class Row:
    key: RowKey
    wards: frozenset[int]

    @property
    def shown(self) -> bool:
        return self.key[0] != "hidden"


@dataclass
class Cell:
    """One figure: shown in the file, suppressed (shown as a mark), or hidden (a pooled ward's own)."""

    id: int
    file: int
    row: RowKey
    measure: Measure
    period: str
    atoms: tuple[int, ...]
    value: int
    contributors: int
    status: str
    sensitive: bool

    @property
    def ref(self) -> tuple[int, RowKey, str, str]:
        return (self.file, self.row, self.measure.code, self.period)


@dataclass
class FileState:
    month: int
    rows: list[Row]
    cells: list[int] = field(default_factory=list)
    fallback: bool = False


class YearModel:
    """Atoms, cells and statuses of every file of the year so far."""

    def __init__(self, data: YearData, k: int) -> None:
        self.data, self.k = data, k
        self.wards: tuple[int, ...] = (*sorted(data.cohorts), OUTSIDE)
        self.months = tuple(range(1, data.month + 1))
        # the file being made: later months do not exist yet for it, so nothing about them may count
        self.horizon = data.month
        self.atoms = [Atom(kind, w, j) for kind in ATOM_KINDS for w in self.wards for j in self.months]
        self.atom_id = {atom: i for i, atom in enumerate(self.atoms)}
        self.values = [int(data.atoms.get(atom, 0)) for atom in self.atoms]
        self.cells: list[Cell | None] = []
        self.atom_cells: list[list[int]] = [[] for _ in self.atoms]
        self.files: dict[int, FileState] = {}
        self.constraints: ConstraintSet = structural_constraints(self)

    @property
    def active_months(self) -> tuple[int, ...]:
        return self.months[: self.horizon]

    def aid(self, kind: str, ward: int, month: int) -> int:
        return self.atom_id[Atom(kind, ward, month)]

    def live_cells(self) -> Iterable[Cell]:
        return (c for c in self.cells if c is not None)

    def cell(self, cell_id: int) -> Cell:
        found = self.cells[cell_id]
        if found is None:
            raise LookupError(f"cell {cell_id} was removed with its file and looked up again")
        return found

    def add_file(self, month: int, rows: list[Row]) -> FileState:
        """Create the cells of one file (all shown for now); suppression decides their status."""
        self.drop_file(month)
        state = FileState(month, rows)
        self.files[month] = state
        counts = self._contributors(month, rows)
        for row in rows:
            for measure in MEASURES:
                for period in measure.periods():
                    state.cells.append(self._add_cell(month, row, measure, period, counts))
        return state

    def drop_file(self, month: int) -> None:
        old = self.files.pop(month, None)
        if old is None:
            return
        gone = set(old.cells)
        for cell_id in gone:
            self.cells[cell_id] = None
        self.atom_cells = [[c for c in cells if c not in gone] for cells in self.atom_cells]
        self.constraints.drop_file(month)

    def _contributors(self, month: int, rows: list[Row]) -> dict[tuple[str, str, RowKey], int]:
        groups = {row.key: row.wards for row in rows}
        return {
            (period, measure, row): int(n)
            for period in PERIODS
            for (measure, row), n in self.data.contributors(month, period, groups).items()
        }

    def _add_cell(
        self,
        month: int,
        row: Row,
        measure: Measure,
        period: str,
        counts: Mapping[tuple[str, str, RowKey], int],
    ) -> int:
        months = (month,) if period == MONTH else tuple(range(1, month + 1))
        atoms = tuple(
            self.aid(kind, w, j) for kind in measure.kinds(period) for w in sorted(row.wards) for j in months
        )
        value = sum(self.values[a] for a in atoms)
        people = value if measure.people else int(counts.get((period, measure.code, row.key), 0))
        status = SHOWN if row.shown else HIDDEN
        cell = Cell(len(self.cells), month, row.key, measure, period, atoms, value, people, status, False)
        cell.sensitive = 1 <= people <= self.k - 1 or (value > 0 and people == 0)
        self.cells.append(cell)
        for a in atoms:
            self.atom_cells[a].append(cell.id)
        return cell.id

    def unit_move(self, unit: Unit, ward: int, month: int, sign: int = 1) -> dict[int, int]:
        return {self.aid(kind, ward, month): sign * coef for kind, coef in unit}

    def effects(self, move: Mapping[int, int]) -> dict[int, int]:
        """How each cell changes when the atoms change by `move`."""
        out: dict[int, int] = defaultdict(int)
        for atom, coef in move.items():
            for cell_id in self.atom_cells[atom]:
                out[cell_id] += coef
        return {c: e for c, e in out.items() if e}

    def unit_groups(self, measure: Measure) -> tuple[Unit, ...]:
        return UNITS[measure.group]
