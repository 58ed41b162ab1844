"""Producing the monthly export: figures from the database, suppression, the file, and its audit event.

One publication is computed for the whole programme; a supervisor's file is that publication's rows for
their wards plus the totals. A part of a protected publication reveals no more than the whole, whereas a
separately suppressed file per supervisor could be subtracted from the city's file: so there is only one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select

from caseapp.activities.export import activity_export_rows
from caseapp.core import audit
from caseapp.exports import files
from caseapp.exports.figures import year_data
from caseapp.exports.model import RowKey
from caseapp.exports.suppression import DEFAULT_K, Publication, check_threshold, prefetch, publish
from caseapp.extensions import db
from caseapp.wards.models import Ward

FIRST_YEAR = 2025  # the programme's first cohort
MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")


class ExportRefused(ValueError):
    """The export cannot be made as asked; `code` says why (the web and the CLI word it for their user)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Produced:
    filename: str
    mimetype: str
    content: bytes
    sha256: str


MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def parse_month(text: str, today: dt.date) -> tuple[int, int]:
    """'2026-03' -> (2026, 3); refused when malformed, before the programme or after the current month."""
    found = MONTH_PATTERN.fullmatch(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ExportRefused("month_format", f"the month must look like 2026-03 (got {text!r})")
    year, month = int(found.group(1)), int(found.group(2))
    if year < FIRST_YEAR:
        raise ExportRefused("month_early", f"the programme's data start in {FIRST_YEAR}")
    if (year, month) > (today.year, today.month):
        raise ExportRefused("month_future", "that month has not started yet")
    return year, month


def parse_threshold(k: int | None) -> int:
    try:
        return check_threshold(DEFAULT_K if k is None else k)
    except ValueError as exc:
        raise ExportRefused("threshold", str(exc)) from exc


def monthly_export(
    *,
    year: int,
    month: int,
    fmt: str,
    k: int,
    wards: Collection[int] | None,
    generated_at: dt.datetime,
    actor_id: int | None = None,
) -> Produced:
    """The file for `month` of `year` (wards None: the whole city) and its audit event; the caller commits."""
    if fmt not in files.FORMATS:
        raise ExportRefused("format", f"the format must be one of {', '.join(files.FORMATS)}")
    export = build(year, month, k, None if wards is None else frozenset(wards), generated_at)
    content = files.write(export, fmt, generated_at)
    digest = hashlib.sha256(content).hexdigest()
    scope: list[int] | str = "all" if wards is None else sorted(wards)
    label = f"{year:04d}-{month:02d}"
    audit.record(
        "export.monthly",
        user_id=actor_id,
        entity_type="export",
        entity_id=label,
        details={
            "month": f"{year:04d}-{month:02d}",
            "wards": scope,
            "threshold": k,
            "format": fmt,
            "sha256": digest,
        },
    )
    return Produced(f"caseapp-thong-ke-{label}.{fmt}", MIMETYPES[fmt], content, digest)


def build(
    year: int, month: int, k: int, wards: frozenset[int] | None, generated_at: dt.datetime
) -> files.ExportFile:
    """Read everything, end the transaction, then suppress: the engine can run for minutes, and SQLite's
    write lock (taken at BEGIN, caseapp/core/db.py) would hold every worker's writes for that long."""
    data = year_data(year, month)
    prefetch(data, k)
    names = {int(c): str(n) for c, n in db.session.execute(select(Ward.code, Ward.name))}
    programme = set(data.cohorts) if wards is None else set(wards)
    activities = files.activities_table(activity_export_rows(year, month, programme), year, month)
    db.session.rollback()  # nothing was written: this only ends the read
    pub = publish(data, k)
    statistics = files.statistics_table(pub, scoped_rows(pub, wards), names, dict(data.cohorts))
    scope = "Toàn thành phố / whole city" if wards is None else _scope_label(wards)
    return files.ExportFile(
        statistics, activities, files.notes(pub, scope, generated_at, pub.fallback[month])
    )


def scoped_rows(pub: Publication, wards: frozenset[int] | None) -> list[RowKey]:
    """The month's rows a reader may have: every row, or a supervisor's own ward rows and the totals."""
    rows = pub.rows[pub.month]
    return [r for r in rows if wards is None or r[0] != "ward" or r[1] in wards]


def _scope_label(wards: frozenset[int]) -> str:
    codes = ", ".join(f"{code:05d}" for code in sorted(wards))
    return f"Phường, xã / Wards: {codes} (và các dòng tổng / and the totals)"


__all__ = ["ExportRefused", "Produced", "monthly_export", "parse_month", "parse_threshold"]
