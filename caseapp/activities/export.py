"""The activity section of the monthly export: activities and participants per ward and for the city.

These are counts of participants at public events, not of clients, so small-cell suppression does not apply:
the export's notes should say so. Everything is computed by the database (GROUP BY).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from caseapp.activities.models import Activity, ActivityKind, AudienceGroup
from caseapp.extensions import db
from caseapp.wards.models import Ward

# the figures of one period, in the order a sheet should show them
FIGURE_COLUMNS: tuple[str, ...] = (
    "activities",
    "training_courses",
    *(f"participants_{a.value}" for a in AudienceGroup),
    "trained",
)
SUPPRESSION_NOTE = (
    "Activity figures count participants at public awareness events and trainings, not clients: "
    "small-cell suppression does not apply to them."
)


@dataclass
class ActivityFigures:
    """One period's figures: activities, training courses, awareness participants per group, trainees."""

    activities: int = 0
    training_courses: int = 0
    participants: dict[str, int] = field(default_factory=lambda: {a.value: 0 for a in AudienceGroup})
    trained: int = 0

    def add(self, kind: str, audience: str, count: int, participants: int) -> None:
        self.activities += count
        if kind == ActivityKind.TRAINING_COURSE:
            self.training_courses += count
            self.trained += participants
        else:
            self.participants[audience] += participants

    def cells(self) -> list[int]:
        """The figures in FIGURE_COLUMNS order."""
        return [self.activities, self.training_courses, *self.participants.values(), self.trained]


@dataclass
class ActivityExportRow:
    """A ward's (level "ward"), the other wards' pooled ("other_wards") or the city's ("city") figures."""

    level: str
    ward_code: int | None
    ward_name: str | None
    month: ActivityFigures = field(default_factory=ActivityFigures)
    year_to_date: ActivityFigures = field(default_factory=ActivityFigures)


def activity_export_rows(year: int, month: int, ward_codes: set[int] | None) -> list[ActivityExportRow]:
    """Per-ward rows, then "other wards" (when `ward_codes` is given), then the city, for a month and YTD.

    `ward_codes` chooses which wards get a row of their own (e.g. the programme cohorts); None gives every
    ward of Hà Nội. Activities in wards outside the set are pooled into one "other_wards" row, so the ward
    rows plus that row always add up to the city row. Each row carries `month` (that calendar month) and
    `year_to_date` (1 January to the month's last day) as ActivityFigures: `activities` (all kinds),
    `training_courses`, `participants[audience]` (awareness participants per audience group: every kind
    but training courses) and `trained` (participants of training courses). `cells()` flattens a period in
    FIGURE_COLUMNS order. The caller decides who may see which wards (this function does not scope).
    Small-cell suppression does not apply: see SUPPRESSION_NOTE.
    """
    if not 1 <= month <= 12:
        raise ValueError("month must be 1 to 12")
    names = _ward_names(ward_codes)
    rows = {code: ActivityExportRow("ward", code, name) for code, name in names.items()}
    other = ActivityExportRow("other_wards", None, None)
    city = ActivityExportRow("city", None, None)
    month_start = dt.date(year, month, 1)
    month_end = dt.date(year, month, calendar.monthrange(year, month)[1])
    for period, start in (("month", month_start), ("year_to_date", dt.date(year, 1, 1))):
        for code, kind, audience, count, people in _grouped(start, month_end, by_ward=True):
            row = other if code is None else rows.get(code, other)
            getattr(row, period).add(kind, audience, count, people)
        for _code, kind, audience, count, people in _grouped(start, month_end, by_ward=False):
            getattr(city, period).add(kind, audience, count, people)
    ordered = [rows[code] for code in sorted(rows)]
    return [*ordered, other, city] if ward_codes is not None else [*ordered, city]


def _ward_names(ward_codes: set[int] | None) -> dict[int, str]:
    stmt = select(Ward.code, Ward.name)
    if ward_codes is not None:
        stmt = stmt.where(Ward.code.in_(ward_codes))
    return {int(code): str(name) for code, name in db.session.execute(stmt)}


def _grouped(
    start: dt.date, end: dt.date, *, by_ward: bool
) -> Iterable[tuple[int | None, str, str, int, int]]:
    """(ward or None, kind, audience, activities, participants) between two dates, grouped by the database."""
    keys: list[Any] = [Activity.ward_code] if by_ward else []
    keys += [Activity.kind, Activity.audience]
    stmt = (
        select(*keys, func.count(), func.coalesce(func.sum(Activity.participants), 0))
        .where(Activity.activity_date >= start, Activity.activity_date <= end)
        .group_by(*keys)
    )
    for row in db.session.execute(stmt):
        values = tuple(row)
        ward = int(values[0]) if by_ward else None
        kind, audience, count, people = values[-4:]
        yield ward, str(kind), str(audience), int(count), int(people)
