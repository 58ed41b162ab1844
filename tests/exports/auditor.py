"""An auditor for published files, written apart from the engine: it trusts no claim it cannot check.

`audit(publication, programme)` checks, with its own definitions of every figure:

* each shown or suppressed value equals the figure computed from the records (so the engine's atoms mean
  what they should), and no shown count is in 1..k-1, nor an event count of fewer than k people;
* every suppressed cell, and every secret figure of a pooled ward, has a proof: the auditor replays the
  engine's certificate step by step (true atoms + j * move), checks that the step is a valid programme
  (no negative count, the definitions' facts, the pooling rule) which reproduces *every* shown figure of
  *every* file of the year and keeps every suppressed figure non-zero, and counts the secret's distinct
  values: at least k. A certificate is only a list of alternative data sets; the auditor checks each one.
* as a second, independent opinion, no additive relation (a total and its parts, YTD = last YTD + month)
  has exactly one suppressed term.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

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
from caseapp.exports.suppression import Proof, Publication
from tests.exports.synthetic import Programme

# the auditor's own statement of each figure: (month kinds, year-to-date kinds)
FIGURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "contacts": ((LINKED, ANON), (LINKED, ANON)),
    "anonymous_contacts": ((ANON,), (ANON,)),
    "clients_contacted": ((FIRST,), (FIRST,)),
    "new_clients": ((NEW,), (NEW,)),
    "indicator_numerator": ((), (SERVED,)),
    "indicator_denominator": ((), (ENTERED,)),
    **{f"referred_{c}": ((referred(c),), (referred(c),)) for c in CATEGORIES},
    **{f"received_{c}": ((received(c),), (received(c),)) for c in CATEGORIES},
}
PEOPLE = {
    "anonymous_contacts",
    "clients_contacted",
    "new_clients",
    "indicator_numerator",
    "indicator_denominator",
}
Ref = tuple[int, tuple[str, int], str, str]


class AuditFailure(AssertionError):
    pass


def audit(pub: Publication, prog: Programme) -> int:
    """Check everything above; returns the number of proofs checked."""
    auditor = Auditor(pub, prog)
    auditor.check_values()
    auditor.check_additivity()
    proofs = {p.ref: p for p in pub.proofs}
    missing = [ref for ref in auditor.secrets() if ref not in proofs]
    if missing:
        raise AuditFailure(f"secrets without a proof: {missing[:5]}")
    for proof in proofs.values():
        auditor.check_proof(proof)
    if auditor.facts(auditor.truth, auditor.wards):
        raise AuditFailure("the true data break the auditor's own facts: the auditor is wrong")
    return len(proofs)


class Auditor:
    def __init__(self, pub: Publication, prog: Programme) -> None:
        self.pub, self.prog, self.k = pub, prog, pub.k
        self.truth = prog.atoms()
        self.wards = {*prog.cohorts, OUTSIDE}
        self._specs: dict[Ref, tuple[set[str], set[int], range]] = {}

    def row_wards(self, month: int, key: tuple[str, int]) -> set[int]:
        kind, code = key
        if kind in ("ward", "hidden"):
            return {code}
        if kind == "cohort":
            return {w for w, c in self.prog.cohorts.items() if c == code}
        if kind == "other":
            return self.wards - {c for kind2, c in self.pub.rows[month] if kind2 == "ward"}
        return set(self.wards)

    def months(self, month: int, period: str) -> range:
        return range(month, month + 1) if period == "month" else range(1, month + 1)

    def value(self, atoms: Mapping[Atom, int], ref: Ref) -> int:
        month, key, measure, period = ref
        kinds = FIGURES[measure][0 if period == "month" else 1]
        wards, months = self.row_wards(month, key), self.months(month, period)
        return sum(
            n
            for atom, n in atoms.items()
            if atom.kind in kinds and atom.ward in wards and atom.month in months
        )

    def from_records(self, ref: Ref) -> tuple[int, int]:
        """(value, people behind it) straight from the records, without atoms."""
        month, key, measure, period = ref
        p, wards, months = self.prog, self.row_wards(month, key), set(self.months(month, period))
        mine = {c for c, w in p.clients.items() if p.group(w) in wards}
        if measure in ("contacts", "anonymous_contacts"):
            hits = [c for m, w, c in p.contacts if m in months and p.group(w) in wards]
            anon = sum(1 for c in hits if c is None)
            if measure == "anonymous_contacts":
                return anon, anon
            return len(hits), anon + len({c for c in hits if c is not None})
        if measure == "clients_contacted":
            # the month counts those contacted for the first time this year; the YTD everyone so far
            first = p.first_contact()
            n = sum(1 for c in mine if first.get(c) in months)
            return n, n
        if measure == "new_clients":
            n = sum(1 for c in mine if p.registered[c] in months)
            return n, n
        if measure.startswith("indicator"):
            slot = 1 if measure.endswith("numerator") else 0
            n = sum(1 for c, v in p.indicator.items() if c in mine and (v[slot] or 99) <= month)
            return n, n
        made = measure.startswith("referred")
        category = measure.split("_", 1)[1]
        hits = [
            r[0]
            for r in p.referrals
            if r[0] in mine and r[1] == category and (r[2] if made else r[3]) in months
        ]
        return len(hits), len(set(hits))

    def check_values(self) -> None:
        for ref, (value, suppressed) in self.pub.cells.items():
            expected, people = self.from_records(ref)
            if value != expected or self.value(self.truth, ref) != expected:
                raise AuditFailure(f"{ref}: published {value}, records say {expected}")
            if not suppressed and 1 <= people <= self.k - 1:
                raise AuditFailure(f"{ref}: shows {value} from {people} people")
            if suppressed and value == 0:
                raise AuditFailure(f"{ref}: a zero is suppressed")

    def secrets(self) -> list[Ref]:
        refs = [ref for ref, (_v, suppressed) in self.pub.cells.items() if suppressed]
        for month in self.pub.rows:
            shown = {code for kind, code in self.pub.rows[month] if kind == "ward"}
            for ward in sorted(self.wards - shown):
                for measure, (month_kinds, _ytd) in FIGURES.items():
                    for period in ("month", "ytd") if month_kinds else ("ytd",):
                        ref = (month, ("hidden", ward), measure, period)
                        if 1 <= self.from_records(ref)[1] <= self.k - 1:
                            refs.append(ref)
        return refs

    def spec(self, ref: Ref) -> tuple[set[str], set[int], range]:
        if ref not in self._specs:
            month, key, measure, period = ref
            kinds = set(FIGURES[measure][0 if period == "month" else 1])
            self._specs[ref] = (kinds, self.row_wards(month, key), self.months(month, period))
        return self._specs[ref]

    def change(self, ref: Ref, move: tuple[tuple[Atom, int], ...]) -> int:
        """How much one step of `move` changes the figure `ref` (figures are sums, so steps add up)."""
        kinds, wards, months = self.spec(ref)
        return sum(c for a, c in move if a.kind in kinds and a.ward in wards and a.month in months)

    def check_proof(self, proof: Proof) -> None:
        """Replay both walks point by point; figures are sums, so a step adds the move's change to each."""
        values = {self.value(self.truth, proof.ref)}
        for walk, direction in ((proof.up, 1), (proof.down, -1)):
            world = dict(self.truth)
            figures = {ref: value for ref, (value, _s) in self.pub.cells.items()}
            for move, times in walk:
                changes = {ref: d for ref in self.pub.cells if (d := self.change(ref, move))}
                if any(not self.pub.cells[ref][1] for ref in changes):
                    raise AuditFailure(f"{proof.ref}: a move changes a shown figure")
                if self.change(proof.ref, move) * direction <= 0:
                    raise AuditFailure(f"{proof.ref}: a step does not move the secret the right way")
                for _ in range(times):
                    for atom, coef in move:
                        world[atom] = world.get(atom, 0) + coef
                    for ref, d in changes.items():
                        figures[ref] += d
                    if min(world.values(), default=0) < 0 or any(figures[ref] < 1 for ref in changes):
                        raise AuditFailure(f"{proof.ref}: a negative count or a suppressed figure at zero")
                    for problem in self.facts(world, {a.ward for a, _c in move}):
                        raise AuditFailure(f"{proof.ref}: {problem}")
                    values.add(self.value(world, proof.ref))
        if len(values) < self.k:
            raise AuditFailure(f"{proof.ref}: only {len(values)} values")

    def facts(self, w: Mapping[Atom, int], wards: set[int]) -> list[str]:
        """What readers know from the definitions and the pooling rule (for `wards`; city-wide facts too)."""
        problems, get = [], lambda kind, ward, m: w.get(Atom(kind, ward, m), 0)
        for ward in wards:
            cum: dict[str, int] = defaultdict(int)
            for m in range(1, self.pub.month + 1):
                for kind in (FIRST, ENTERED, SERVED):
                    cum[kind] += get(kind, ward, m)
                if not cum[SERVED] <= cum[ENTERED] <= cum[FIRST]:
                    problems.append(f"indicator beyond the people contacted ({ward}, {m})")
        for m in range(1, self.pub.month + 1):
            linked = sum(get(LINKED, ward, m) for ward in self.wards)
            first = sum(get(FIRST, ward, m) for ward in self.wards)
            so_far = sum(get(FIRST, ward, i) for ward in self.wards for i in range(1, m + 1))
            if linked < first or (linked >= 1 and so_far < 1):
                problems.append(f"linked contacts and people contacted disagree in month {m}")
            for kind, code in self.pub.rows[m] if not self.pub.fallback[m] else ():
                if kind == "ward" and get(LINKED, code, m) < self.k:
                    problems.append(f"shown ward {code} under the pooling threshold in month {m}")
        return problems

    def check_additivity(self) -> None:
        """No closed sum (a total and all its parts, YTD = last YTD + month) with one suppressed term."""
        for total, parts in self.equations():
            flags = [self.pub.cells[ref][1] for ref in (total, *parts)]
            if sum(flags) == 1:
                raise AuditFailure(f"one suppressed term in {total} = sum of {parts}")

    def equations(self) -> list[tuple[Ref, list[Ref]]]:
        out: list[tuple[Ref, list[Ref]]] = []
        for month, rows in self.pub.rows.items():
            wards = [r for r in rows if r[0] == "ward"]
            for measure, (month_kinds, _ytd) in FIGURES.items():
                for period in ("month", "ytd") if month_kinds else ("ytd",):
                    if wards:
                        parts = [(month, r, measure, period) for r in [*wards, ("other", 0)]]
                        out.append(((month, ("city", 0), measure, period), parts))
                    for kind, year in rows:
                        members = {w for w, c in self.prog.cohorts.items() if c == year}
                        if kind == "cohort" and members and members <= {code for _k, code in wards}:
                            parts = [(month, ("ward", w), measure, period) for w in sorted(members)]
                            out.append(((month, (kind, year), measure, period), parts))
                    if (
                        period == "ytd"
                        and month > 1
                        and measure not in PEOPLE - {"new_clients", "anonymous_contacts"}
                    ):
                        for row in rows:
                            if row[0] != "other" and row in self.pub.rows[month - 1]:
                                before, now = (month - 1, row, measure, "ytd"), (month, row, measure, "month")
                                out.append(((month, row, measure, "ytd"), [before, now]))
        return out
