"""The reach dashboard's figures, computed by the database (GROUP BY) within what the user may see.

Awareness reach counts participants of every kind of activity except training courses, per audience group;
trainees are the participants of training courses, whatever their group, so nobody is counted twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, extract, func, select

from caseapp.activities.models import AWARENESS_KINDS, Activity, ActivityKind, AudienceGroup, TargetMeasure
from caseapp.activities.queries import activities_visible_to, in_year
from caseapp.activities.targets import year_targets
from caseapp.core.access import sees_all_wards
from caseapp.core.clock import hanoi_today
from caseapp.extensions import db
from caseapp.wards.models import Ward
from caseapp.wards.queries import wards_visible_to

MONTHS = 12


@dataclass(frozen=True)
class Measure:
    """One measure against its target: participants (or wards) so far, by month, cumulatively."""

    key: str
    total: int
    target: int | None
    cumulative: list[int]  # one figure per month shown, January first

    @property
    def percent(self) -> float | None:
        return None if not self.target else 100.0 * self.total / self.target

    @property
    def bar_value(self) -> float:
        """Progress for a bar: the percentage, capped at 100."""
        return min(self.percent or 0.0, 100.0)


@dataclass(frozen=True)
class Coverage:
    """Wards with at least one awareness activity in the year, out of the wards in view."""

    covered: int
    total: int
    target: int | None
    uncovered: list[tuple[int, str]]  # (code, name) of wards with none yet


@dataclass(frozen=True)
class ReachReport:
    year: int
    city_wide: bool
    months_shown: int
    audiences: list[Measure]
    trained: Measure
    training_courses: int
    coverage: Coverage
    targets_confirmed: bool


def months_shown(year: int, today: dt.date) -> int:
    """Months of `year` that have begun: all twelve for a past year, none for a future one."""
    if year < today.year:
        return MONTHS
    return today.month if year == today.year else 0


def monthly_figures(user: Any, year: int) -> list[tuple[int, str, str, int, int]]:
    """(month, kind, audience, activities, participants) for `year`, grouped by the database."""
    month = extract("month", Activity.activity_date)
    stmt = in_year(activities_visible_to(user), year).with_only_columns(
        month,
        Activity.kind,
        Activity.audience,
        func.count(),
        func.coalesce(func.sum(Activity.participants), 0),
    )
    rows = db.session.execute(stmt.group_by(month, Activity.kind, Activity.audience)).all()
    return [(int(m), kind, audience, int(n), int(total)) for m, kind, audience, n, total in rows]


def cumulate(by_month: dict[int, int], months: int) -> list[int]:
    """Running totals for months 1..`months` from per-month figures."""
    running, out = 0, []
    for month in range(1, months + 1):
        running += by_month.get(month, 0)
        out.append(running)
    return out


def coverage(user: Any, year: int, target: int | None) -> Coverage:
    """Wards in view with at least one awareness activity in `year`, and the list of those without one."""
    covered_codes = (
        in_year(activities_visible_to(user), year)
        .where(Activity.kind.in_(AWARENESS_KINDS))
        .with_only_columns(Activity.ward_code)
        .distinct()
    )
    wards: Select[Any] = wards_visible_to(user)
    total = db.session.scalar(select(func.count()).select_from(wards.order_by(None).subquery())) or 0
    covered = db.session.scalar(select(func.count()).select_from(covered_codes.subquery())) or 0
    missing = wards.where(Ward.code.not_in(covered_codes)).with_only_columns(Ward.code, Ward.name)
    uncovered = [(int(code), str(name)) for code, name in db.session.execute(missing)]
    return Coverage(int(covered), int(total), target, uncovered)


def reach_report(user: Any, year: int, *, today: dt.date | None = None) -> ReachReport:
    """Everything the reach dashboard shows for `year`, within what `user` may see."""
    targets = year_targets(year)
    shown = months_shown(year, today or hanoi_today())
    audience_months: dict[str, dict[int, int]] = {a.value: {} for a in AudienceGroup}
    trained_months: dict[int, int] = {}
    courses = 0
    for month, kind, audience, n, participants in monthly_figures(user, year):
        if kind == ActivityKind.TRAINING_COURSE:
            trained_months[month] = trained_months.get(month, 0) + participants
            courses += n
        elif audience in audience_months:
            bucket = audience_months[audience]
            bucket[month] = bucket.get(month, 0) + participants
    audiences = [
        _measure(a.value, audience_months[a.value], targets.for_audience(a), shown) for a in AudienceGroup
    ]
    trained = _measure("trained", trained_months, targets.values[TargetMeasure.TRAINED], shown)
    cover = coverage(user, year, targets.values[TargetMeasure.WARD_COVERAGE])
    return ReachReport(
        year, sees_all_wards(user), shown, audiences, trained, courses, cover, targets.confirmed
    )


def _measure(key: str, by_month: dict[int, int], target: int | None, shown: int) -> Measure:
    return Measure(key, sum(by_month.values()), target, cumulate(by_month, shown))
