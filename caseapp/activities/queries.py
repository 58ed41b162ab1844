"""Scoped reads of activities: casework roles see their own wards, analysts and admins the whole city."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import abort
from sqlalchemy import Select, false, func, select

from caseapp.activities.models import Activity
from caseapp.core.access import CASEWORK_ROLES, user_role, ward_filter
from caseapp.extensions import db
from caseapp.wards.models import Ward

PAGE_SIZE = 50


def activities_visible_to(user: Any) -> Select[tuple[Activity]]:
    """The one starting point for every list, page and figure of activities shown to `user`."""
    return select(Activity).where(ward_filter(Activity.ward_code, user))


def activities_editable_by(user: Any) -> Select[tuple[Activity]]:
    """Activities `user` may change: their own wards' for casework roles, none for anyone else."""
    if user_role(user) not in CASEWORK_ROLES:
        return activities_visible_to(user).where(false())
    return activities_visible_to(user)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def in_year(stmt: Select[Any], year: int) -> Select[Any]:
    start, end = year_bounds(year)
    return stmt.where(Activity.activity_date >= start, Activity.activity_date <= end)


def list_activities(user: Any, *, year: int, ward_code: int | None = None, page: int = 1) -> list[Activity]:
    """One page of a year's activities visible to `user`, newest first."""
    stmt = in_year(activities_visible_to(user), year)
    if ward_code is not None:
        stmt = stmt.where(Activity.ward_code == ward_code)
    stmt = stmt.order_by(Activity.activity_date.desc(), Activity.created_at.desc(), Activity.id)
    return list(db.session.scalars(stmt.limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)))


def count_activities(user: Any, *, year: int, ward_code: int | None = None) -> int:
    stmt = in_year(activities_visible_to(user), year)
    if ward_code is not None:
        stmt = stmt.where(Activity.ward_code == ward_code)
    return int(db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def get_editable_activity_or_404(user: Any, activity_id: str) -> Activity:
    """An activity `user` may change; anything else (or a malformed id) is 404, so existence is hidden."""
    try:
        key = uuid.UUID(activity_id)
    except ValueError:
        abort(404)
    activity = db.session.scalars(activities_editable_by(user).where(Activity.id == key)).one_or_none()
    if activity is None:
        abort(404)
    return activity


def ward_names(codes: set[int]) -> dict[int, str]:
    """Names of the given wards, for lists that show codes."""
    if not codes:
        return {}
    rows = db.session.execute(select(Ward.code, Ward.name).where(Ward.code.in_(codes)))
    return {int(code): str(name) for code, name in rows}
