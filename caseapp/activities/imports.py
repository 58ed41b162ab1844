"""CSV import of activities: every row is checked first; one bad row rejects the whole file.

The format is documented in docs/activities-import.md; `template_csv()` is the downloadable template.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from caseapp.activities.models import Activity
from caseapp.activities.rules import (
    ActivityFields,
    Problem,
    check_codes,
    check_date,
    check_participants,
    check_texts,
    check_ward,
)
from caseapp.activities.services import EDITABLE, allowed_ward_codes, known_ward_codes
from caseapp.core import audit
from caseapp.core.clock import hanoi_today
from caseapp.extensions import db

HEADER = ("date", "ward_code", "kind", "audience", "participants", "topic", "organiser", "note")
# a year of one ward's activities fits many times over; a bigger file is a mistake (or a different file)
MAX_ROWS = 5_000
# fields whose raw value may be echoed in the report: codes and numbers, never free text
ECHOED = frozenset({"date", "ward_code", "kind", "audience", "participants"})
WHOLE_NUMBER = re.compile(r"[+-]?\d+")
TEMPLATE_ROWS = (
    ("15/03/2026", "4", "awareness_session", "residents", "45", "Phòng, chống mại dâm", "UBND phường", ""),
    ("2026-03-20", "4", "training_course", "staff_volunteers", "30", "Kỹ năng tư vấn", "Hội LHPN", ""),
)


@dataclass(frozen=True)
class RowError:
    """One problem in the file: its line, the column (None for the whole file or row), reason, safe value."""

    line: int
    column: str | None
    reason: str
    value: str | None = None


class ImportRejected(ValueError):
    """The file was refused; `errors` lists every bad row and why. Nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} problems")


def template_csv() -> str:
    """The header and two example rows, as offered for download."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(TEMPLATE_ROWS)
    return out.getvalue()


def import_activities_csv(
    *, content: bytes, year: int, actor: Any | None, today: dt.date | None = None
) -> int:
    """Check every row of a CSV for `year`, then store all of them in one transaction; returns the count."""
    rows = parse_activities_csv(content, year=year, actor=actor, today=today or hanoi_today())
    for fields in rows:
        activity = Activity(**{name: getattr(fields, name) for name in EDITABLE})
        activity.created_by = getattr(actor, "id", None)
        db.session.add(activity)
    wards = sorted({fields.ward_code for fields in rows})
    audit.record(
        "activities.imported",
        entity_type="activity",
        details={"rows": len(rows), "year": year, "wards": wards},
    )
    db.session.commit()
    return len(rows)


def parse_activities_csv(
    content: bytes, *, year: int, actor: Any | None, today: dt.date
) -> list[ActivityFields]:
    """The file's activities, or ImportRejected listing every problem of every row."""
    records = _records(content)
    context = RowContext(known_ward_codes(), allowed_ward_codes(actor), today, year)
    parsed: list[tuple[int, ActivityFields]] = []
    errors: list[RowError] = []
    for line, cells in records:
        fields, problems = _check_row(cells, context)
        errors += [_error(line, cells, p) for p in problems]
        if fields is not None:
            parsed.append((line, fields))
    errors += _duplicates(parsed)
    if not parsed and not errors:
        errors.append(RowError(2, None, "no_rows"))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    return [fields for _line, fields in parsed]


def _records(content: bytes) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each non-empty row after a correct header."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([RowError(0, None, "not_utf8")]) from exc
    first = text.split("\n", 1)[0]
    # Excel with a Vietnamese list separator saves ';' instead of ','
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            raise ImportRejected([RowError(1, None, "empty_file")])
        if tuple(cell.strip().lower() for cell in header) != HEADER:
            raise ImportRejected([RowError(1, None, "bad_header")])
        records = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:  # an unclosed quote, a huge cell: not a CSV we can read
        raise ImportRejected([RowError(reader.line_num, None, "unreadable")]) from exc
    if len(records) > MAX_ROWS:
        raise ImportRejected([RowError(1, None, "too_many_rows")])
    return records


@dataclass(frozen=True)
class RowContext:
    """What every row is checked against."""

    known: set[int]
    allowed: frozenset[int] | None
    today: dt.date
    year: int


def _check_row(cells: list[str], ctx: RowContext) -> tuple[ActivityFields | None, list[Problem]]:
    """The row's values, or every problem with them (each cell is checked even when another is wrong)."""
    if len(cells) != len(HEADER):
        return None, [Problem("row", "wrong_column_count")]
    raw = dict(zip(HEADER, (cell.strip() for cell in cells), strict=True))
    day = _parse_date(raw["date"])
    ward = int(raw["ward_code"]) if raw["ward_code"].isdigit() else None
    count = int(raw["participants"]) if WHOLE_NUMBER.fullmatch(raw["participants"]) else None
    note = raw["note"] or None
    problems = [
        *(check_date(day, today=ctx.today, year=ctx.year) if day else [Problem("activity_date", "bad_date")]),
        *(check_ward(ward, known=ctx.known, allowed=ctx.allowed) if ward is not None else _unknown_ward),
        *check_codes(raw["kind"], raw["audience"]),
        *(check_participants(count) if count is not None else _not_number),
        *check_texts(raw["topic"], raw["organiser"], note),
    ]
    if problems or day is None or ward is None or count is None:
        return None, problems
    fields = ActivityFields(
        day, ward, raw["kind"], raw["audience"], count, raw["topic"], raw["organiser"], note
    )
    return fields, []


_unknown_ward = (Problem("ward_code", "unknown_ward"),)
_not_number = (Problem("participants", "participants_not_number"),)


def _parse_date(value: str) -> dt.date | None:
    """An ISO date (2026-03-15) or the Vietnamese way of writing it (15/03/2026)."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _error(line: int, cells: list[str], problem: Problem) -> RowError:
    column = "date" if problem.field == "activity_date" else problem.field
    value = None
    if column in ECHOED and len(cells) == len(HEADER):
        value = cells[HEADER.index(column)].strip()[:40]
    return RowError(line, None if column == "row" else column, problem.reason, value)


def _key(fields: ActivityFields) -> tuple[object, ...]:
    return tuple(getattr(fields, name) for name in EDITABLE if name != "note")


def _duplicates(parsed: list[tuple[int, ActivityFields]]) -> list[RowError]:
    """Rows repeated in the file or already in the register: importing twice must not double the figures."""
    errors, seen = [], set()
    existing = _existing_keys(fields for _line, fields in parsed)
    for line, fields in parsed:
        key = _key(fields)
        if key in seen:
            errors.append(RowError(line, None, "duplicate_in_file"))
        elif key in existing:
            errors.append(RowError(line, None, "duplicate_existing"))
        seen.add(key)
    return errors


def _existing_keys(rows: Iterable[ActivityFields]) -> set[tuple[object, ...]]:
    dates = {fields.activity_date for fields in rows}
    if not dates:
        return set()
    columns = [getattr(Activity, name) for name in EDITABLE if name != "note"]
    stmt = select(*columns).where(Activity.activity_date.in_(dates))
    return {tuple(row) for row in db.session.execute(stmt)}
