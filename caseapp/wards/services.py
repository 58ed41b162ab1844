"""Writes to wards: loading the official list, setting cohorts (UI, CLI, CSV)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from caseapp.core import audit
from caseapp.extensions import db
from caseapp.wards.models import COHORTS, Ward

DATA_FILE = Path(__file__).resolve().parent / "data" / "hanoi_wards.json"


class UnknownWards(ValueError):
    """Codes that are not Hà Nội wards."""

    def __init__(self, codes: Iterable[int | str]) -> None:
        self.codes = sorted(str(c) for c in codes)
        super().__init__(", ".join(self.codes))


class InvalidCohort(ValueError):
    """A cohort that is not one of the programme years."""


@dataclass(frozen=True)
class CohortRowError:
    line: int
    reason: str


class InvalidCohortFile(ValueError):
    """A cohort CSV with bad rows; nothing was written."""

    def __init__(self, errors: list[CohortRowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} bad rows")


def load_reference_wards(*, data_file: Path = DATA_FILE) -> int:
    """Insert or rename wards from the shipped data file; cohorts and active flags are kept."""
    data = json.loads(data_file.read_text(encoding="utf-8"))
    existing = {w.code: w for w in db.session.scalars(select(Ward))}
    added = 0
    for row in data["wards"]:
        ward = existing.get(row["code"])
        if ward is None:
            db.session.add(Ward(code=row["code"], name=row["name"], kind=row["kind"], active=True))
            added += 1
        else:
            ward.name, ward.kind = row["name"], row["kind"]
    if added:
        audit.record("wards.loaded", entity_type="ward", details={"added": added})
    db.session.commit()
    return added


def parse_cohort(value: str | int | None) -> int | None:
    """'2025'/'2026' → the year; '', 'none', '0' → not in the programme."""
    if value is None or str(value).strip().lower() in ("", "none", "0", "-"):
        return None
    try:
        year = int(str(value).strip())
    except ValueError as exc:
        raise InvalidCohort(str(value)) from exc
    if year not in COHORTS:
        raise InvalidCohort(str(value))
    return year


def set_cohort(*, codes: Iterable[int], cohort: int | None, active: bool | None = None) -> list[Ward]:
    """Put wards into a cohort (or out of the programme); all codes must exist or nothing changes."""
    wanted = set(codes)
    if cohort is not None and cohort not in COHORTS:
        raise InvalidCohort(str(cohort))
    wards = list(db.session.scalars(select(Ward).where(Ward.code.in_(wanted))))
    missing = wanted - {w.code for w in wards}
    if missing:
        raise UnknownWards(missing)
    _apply_cohort(wards, cohort, active)
    db.session.commit()
    return wards


def _apply_cohort(wards: list[Ward], cohort: int | None, active: bool | None) -> None:
    for ward in wards:
        changed = ["cohort"] if ward.cohort != cohort else []
        ward.cohort = cohort
        if active is not None and ward.active != active:
            ward.active = active
            changed.append("active")
        if changed:
            audit.record(
                "ward.updated", entity_type="ward", entity_id=ward.code, ward_code=ward.code, fields=changed
            )


def import_cohorts_csv(*, content: bytes) -> int:
    """Apply a CSV of `code,cohort` rows; any bad row rejects the whole file."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidCohortFile([CohortRowError(0, "not_utf8")]) from exc
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or [f.strip().lower() for f in reader.fieldnames] != ["code", "cohort"]:
        raise InvalidCohortFile([CohortRowError(1, "bad_header")])
    known = {code for (code,) in db.session.execute(select(Ward.code))}
    plan: dict[int, int | None] = {}
    errors: list[CohortRowError] = []
    for line, row in enumerate(reader, start=2):
        raw_code = (row.get("code") or "").strip()
        code = int(raw_code) if raw_code.isdigit() else None
        if code is None or code not in known:
            errors.append(CohortRowError(line, "unknown_ward"))
            continue
        try:
            plan[code] = parse_cohort(row.get("cohort"))
        except InvalidCohort:
            errors.append(CohortRowError(line, "bad_cohort"))
    if errors:
        raise InvalidCohortFile(errors)
    wards = {w.code: w for w in db.session.scalars(select(Ward).where(Ward.code.in_(plan)))}
    for code, cohort in plan.items():
        _apply_cohort([wards[code]], cohort, None)
    audit.record("wards.cohorts_imported", entity_type="ward", details={"rows": len(plan)})
    db.session.commit()
    return len(plan)
