"""Reads for the second-factor pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from caseapp.auth.models import RecoveryCode, SecondFactor
from caseapp.extensions import db
from caseapp.users.models import User


@dataclass(frozen=True)
class SecondFactorRow:
    """One staff account on the admin's second-factor page."""

    user: User
    enrolled: bool
    recovery_codes_left: int


def second_factor_overview() -> list[SecondFactorRow]:
    """Every account with whether it has a confirmed second factor (admin only; no secrets read)."""
    codes_left = (
        select(func.count())
        .where(RecoveryCode.user_id == User.id, RecoveryCode.used_at.is_(None))
        .scalar_subquery()
    )
    stmt = (
        select(User, SecondFactor.confirmed_at, codes_left)
        .outerjoin(SecondFactor, SecondFactor.user_id == User.id)
        .order_by(User.active.desc(), User.username)
    )
    return [
        SecondFactorRow(user, confirmed is not None, int(left or 0))
        for user, confirmed, left in db.session.execute(stmt)
    ]
