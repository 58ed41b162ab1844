"""Writes to staff accounts. Admins never choose a password: they hand over a one-time one."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from caseapp.auth.passwords import hash_password, one_time_password
from caseapp.auth.services import check_new_password, revoke_all_sessions
from caseapp.core import audit
from caseapp.core.access import CASEWORK_ROLES, Role
from caseapp.extensions import db
from caseapp.users.models import User
from caseapp.wards.models import Ward


class UsernameTaken(ValueError):
    """Another account already has this username."""


class WardsRequired(ValueError):
    """Workers and supervisors need at least one ward."""


class InvalidUsername(ValueError):
    """Usernames are 3-64 characters of a-z, 0-9, '.', '_' or '-'."""


USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


def normalise_username(username: str) -> str:
    name = username.strip().lower()
    if not 3 <= len(name) <= 64 or not set(name) <= USERNAME_CHARS:
        raise InvalidUsername(username)
    return name


def _wards(codes: Iterable[int]) -> list[Ward]:
    wanted = set(codes)
    wards = list(db.session.scalars(select(Ward).where(Ward.code.in_(wanted)))) if wanted else []
    if len(wards) != len(wanted):
        from caseapp.wards.services import UnknownWards

        raise UnknownWards(wanted - {w.code for w in wards})
    return wards


def create_user(
    *,
    username: str,
    display_name: str,
    role: Role,
    ward_codes: Iterable[int] = (),
    password: str | None = None,
) -> tuple[User, str]:
    """Create an account; returns it with the one-time password to hand over (or the given one)."""
    name = normalise_username(username)
    if db.session.scalar(select(func.count()).where(User.username == name)):
        raise UsernameTaken(name)
    wards = _wards(ward_codes)
    if role in CASEWORK_ROLES and not wards:
        raise WardsRequired(role.value)
    secret = password or one_time_password()
    if password:
        check_new_password(password, username=name)
    user = User(
        username=name,
        display_name=display_name.strip() or name,
        role=role.value,
        password_hash=hash_password(secret),
        must_change_password=True,
        active=True,
        wards=wards,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user.created",
        entity_type="user",
        entity_id=user.id,
        fields=["username", "display_name", "role", "wards"],
    )
    db.session.commit()
    return user, secret


def update_user(
    *, user: User, display_name: str, role: Role, ward_codes: Iterable[int], active: bool
) -> User:
    """Change an account; a changed role, wards or deactivation takes effect at the user's next request."""
    wards = _wards(ward_codes)
    if role in CASEWORK_ROLES and not wards:
        raise WardsRequired(role.value)
    changed = []
    if user.display_name != display_name.strip():
        user.display_name = display_name.strip()
        changed.append("display_name")
    if user.role != role.value:
        user.role = role.value
        changed.append("role")
    if {w.code for w in user.wards} != {w.code for w in wards}:
        user.wards = wards
        changed.append("wards")
    if user.active != active:
        user.active = active
        changed.append("active")
        if not active:
            revoke_all_sessions(user=user)
    if changed:
        audit.record("user.updated", entity_type="user", entity_id=user.id, fields=changed)
    db.session.commit()
    return user


def reset_password(*, user: User) -> str:
    """Issue a new one-time password; the user must replace it at next login, and sessions end."""
    secret = one_time_password()
    user.password_hash = hash_password(secret)
    user.must_change_password = True
    revoke_all_sessions(user=user)
    audit.record("user.password_reset", entity_type="user", entity_id=user.id, fields=["password_hash"])
    db.session.commit()
    return secret
