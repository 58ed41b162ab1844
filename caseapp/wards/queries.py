"""Scoped reads of wards: casework roles see their own wards, analysts and admins all of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import abort
from sqlalchemy import Select, func, select

from caseapp.core.access import ward_filter
from caseapp.core.text import vietnamese_sort_key
from caseapp.extensions import db
from caseapp.wards.models import Ward


def wards_visible_to(user: Any) -> Select[tuple[Ward]]:
    """The one starting point for any list of wards shown to `user`."""
    return select(Ward).where(ward_filter(Ward.code, user)).order_by(Ward.kind, Ward.name)


def sorted_wards(wards: Iterable[Ward]) -> list[Ward]:
    """Phường before xã, then Vietnamese alphabetical order (the database's C collation puts Đ after Z)."""
    return sorted(wards, key=lambda w: (w.kind, vietnamese_sort_key(w.name)))


def visible_wards(user: Any, *, programme_only: bool = False) -> list[Ward]:
    stmt = wards_visible_to(user)
    if programme_only:
        stmt = stmt.where(Ward.cohort.is_not(None), Ward.active.is_(True))
    return sorted_wards(db.session.scalars(stmt))


def get_ward_or_404(user: Any, code: int) -> Ward:
    """A ward `user` may see; anything else is 404, so existence is not revealed."""
    ward = db.session.scalars(wards_visible_to(user).where(Ward.code == code)).one_or_none()
    if ward is None:
        abort(404)
    return ward


def all_wards() -> list[Ward]:
    """Reference list for admin screens (ward assignment, cohorts)."""
    return sorted_wards(db.session.scalars(select(Ward)))


def wards_by_code(codes: set[int]) -> list[Ward]:
    return list(db.session.scalars(select(Ward).where(Ward.code.in_(codes)))) if codes else []


def cohort_counts() -> dict[int | None, int]:
    rows = db.session.execute(
        select(Ward.cohort, func.count()).where(Ward.active.is_(True)).group_by(Ward.cohort)
    ).all()
    return {cohort: int(n) for cohort, n in rows}
