"""Reads of staff accounts (admin screens only)."""

from __future__ import annotations

from flask import abort
from sqlalchemy import func, select

from caseapp.extensions import db
from caseapp.users.models import User


def all_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.username)))


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def admin_exists() -> bool:
    return bool(db.session.scalar(select(func.count()).where(User.role == "admin", User.active.is_(True))))
