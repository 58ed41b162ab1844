"""Writes to the activity register and its targets; each function is one transaction and one audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import select

from caseapp.activities.models import Activity, ActivityTarget, TargetMeasure
from caseapp.activities.rules import (
    FIRST_YEAR,
    ActivityFields,
    ActivityInvalid,
    Problem,
    check_activity,
)
from caseapp.activities.targets import targets_for
from caseapp.core import audit
from caseapp.core.access import CASEWORK_ROLES, user_role, ward_codes_of
from caseapp.core.clock import hanoi_today
from caseapp.core.db import utcnow
from caseapp.extensions import db
from caseapp.wards.models import Ward

EDITABLE = ("activity_date", "ward_code", "kind", "audience", "participants", "topic", "organiser", "note")
LAST_YEAR = 2100


class TargetInvalid(ValueError):
    """A target that is negative, for a year outside the programme, or more wards than Hà Nội has."""


def known_ward_codes() -> set[int]:
    return set(db.session.scalars(select(Ward.code)))


def allowed_ward_codes(actor: Any | None) -> frozenset[int] | None:
    """Wards `actor` may record for; None means any ward (the command line, run by the operator)."""
    if actor is None:
        return None
    # analysts and admins read aggregates but never write activities: an empty set refuses every ward
    return ward_codes_of(actor) if user_role(actor) in CASEWORK_ROLES else frozenset()


def validate(
    fields: ActivityFields, *, actor: Any | None, today: dt.date | None, extra_wards: Collection[int] = ()
) -> ActivityFields:
    """The cleaned values, or ActivityInvalid naming every problem."""
    clean = fields.cleaned()
    allowed = allowed_ward_codes(actor)
    problems = check_activity(
        clean, known_wards=known_ward_codes(), allowed_wards=allowed, today=today or hanoi_today()
    )
    problems += [p for code in extra_wards for p in check_activity_ward(code, allowed)]
    if problems:
        raise ActivityInvalid(list(dict.fromkeys(problems)))  # the same problem once, in order
    return clean


def check_activity_ward(code: int, allowed: frozenset[int] | None) -> list[Problem]:
    """An existing activity may be changed only by someone allowed in its current ward."""
    return [] if allowed is None or code in allowed else [Problem("ward_code", "ward_not_yours")]


def record_activity(*, actor: Any | None, fields: ActivityFields, today: dt.date | None = None) -> Activity:
    """Add an activity to the register."""
    clean = validate(fields, actor=actor, today=today)
    activity = Activity(**{name: getattr(clean, name) for name in EDITABLE})
    activity.created_by = getattr(actor, "id", None)
    db.session.add(activity)
    db.session.flush()
    audit.record(
        "activity.created",
        entity_type="activity",
        entity_id=activity.id,
        ward_code=activity.ward_code,
        fields=[name for name in EDITABLE if getattr(clean, name) is not None],
    )
    db.session.commit()
    return activity


def update_activity(
    *, actor: Any | None, activity: Activity, fields: ActivityFields, today: dt.date | None = None
) -> list[str]:
    """Change an activity; returns the names of the fields that changed (none: nothing is written)."""
    clean = validate(fields, actor=actor, today=today, extra_wards=[activity.ward_code])
    changed = [name for name in EDITABLE if getattr(activity, name) != getattr(clean, name)]
    if not changed:
        return []
    for name in changed:
        setattr(activity, name, getattr(clean, name))
    activity.updated_at = utcnow()
    audit.record(
        "activity.updated",
        entity_type="activity",
        entity_id=activity.id,
        ward_code=activity.ward_code,
        fields=changed,
    )
    db.session.commit()
    return changed


def delete_activity(*, actor: Any | None, activity: Activity) -> None:
    """Remove an activity recorded by mistake."""
    problems = check_activity_ward(activity.ward_code, allowed_ward_codes(actor))
    if problems:
        raise ActivityInvalid(problems)
    audit.record(
        "activity.deleted", entity_type="activity", entity_id=activity.id, ward_code=activity.ward_code
    )
    db.session.delete(activity)
    db.session.commit()


def set_targets(*, actor: Any | None, year: int, values: Mapping[TargetMeasure, int | None]) -> list[str]:
    """Store a year's targets (None: no target); returns the measures whose figure changed."""
    _check_targets(year, values)
    before = targets_for(year)
    stmt = select(ActivityTarget).where(ActivityTarget.year == year)
    stored = {t.measure: t for t in db.session.scalars(stmt)}
    for measure, value in values.items():
        row = stored.get(measure.value) or ActivityTarget(year=year, measure=measure.value)
        row.value, row.updated_by, row.updated_at = value, getattr(actor, "id", None), utcnow()
        db.session.add(row)
    changed = sorted(m.value for m, value in values.items() if before[m] != value)
    audit.record("activity_targets.updated", entity_type="activity_targets", entity_id=year, fields=changed)
    db.session.commit()
    return changed


def _check_targets(year: int, values: Mapping[TargetMeasure, int | None]) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise TargetInvalid("year")
    if any(v is not None and v < 0 for v in values.values()):
        raise TargetInvalid("negative")
    coverage = values.get(TargetMeasure.WARD_COVERAGE)
    if coverage is not None and coverage > len(known_ward_codes()):
        raise TargetInvalid("ward_coverage")
