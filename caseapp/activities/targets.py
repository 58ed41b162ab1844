"""The yearly reach targets: stored figures where an admin saved them, else the 2026 plan's figures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from caseapp.activities.models import ActivityTarget, AudienceGroup, TargetMeasure
from caseapp.extensions import db

# Kế hoạch 07/KH-UBND (2026): awareness reach per audience group, staff trained, and every ward covered;
# the plan sets no awareness figure for staff and volunteers (they are counted as trainees)
PLAN_2026: dict[TargetMeasure, int | None] = {
    TargetMeasure.RESIDENTS: 5_300,
    TargetMeasure.ESTABLISHMENT_WORKERS: 3_500,
    TargetMeasure.INDUSTRIAL_PARK_WORKERS: 60_000,
    TargetMeasure.STUDENTS: 100_000,
    TargetMeasure.STAFF_VOLUNTEERS: None,
    TargetMeasure.TRAINED: 6_000,
    TargetMeasure.WARD_COVERAGE: 126,
}


@dataclass(frozen=True)
class YearTargets:
    """A year's targets and whether an admin has confirmed them (else they are the plan's defaults)."""

    year: int
    values: dict[TargetMeasure, int | None]
    confirmed: bool

    def for_audience(self, audience: AudienceGroup) -> int | None:
        return self.values[TargetMeasure(audience.value)]


def year_targets(year: int) -> YearTargets:
    """Stored targets for `year`, falling back to the plan's figures for anything not saved yet."""
    stmt = select(ActivityTarget.measure, ActivityTarget.value).where(ActivityTarget.year == year)
    stored = {measure: value for measure, value in db.session.execute(stmt)}
    values = {m: stored[m.value] if m.value in stored else PLAN_2026[m] for m in TargetMeasure}
    return YearTargets(year, values, confirmed=bool(stored))


def targets_for(year: int) -> dict[TargetMeasure, int | None]:
    return year_targets(year).values
