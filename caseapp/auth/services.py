"""Authentication and session lifecycle. Every outcome is audited; no typed value is ever stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from sqlalchemy import select, update

from caseapp.auth import throttle
from caseapp.auth.models import UserSession
from caseapp.auth.passwords import hash_password, verify_password
from caseapp.core import audit
from caseapp.core.db import prepare_write, utcnow
from caseapp.extensions import db
from caseapp.users.models import User

# refresh last_seen_at at most this often, so reading a page is not a write every time
LAST_SEEN_GRANULARITY = dt.timedelta(seconds=60)


class PasswordRejected(ValueError):
    """A new password that does not meet the policy; the message is translated by the view."""


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode("ascii", "replace")).digest()


def _find_user(username: str) -> User | None:
    return db.session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()


def _refuse(attempt: throttle.Attempt, *, user: User | None, details: dict[str, object]) -> None:
    """Store and audit a failed attempt, and audit a lockout it starts. Commits."""
    db.session.rollback()
    user_id = user.id if user else None
    locked = throttle.note_failure(attempt)
    # the typed username is not stored: it may be a password typed in the wrong box
    audit.record("login.failure", user_id=user_id, details=details)
    for scope in locked:
        audit.record("login.lockout", user_id=user_id, details={"scope": scope})
    db.session.commit()


def authenticate(*, username: str, password: str, address: str | None) -> User | None:
    """The active user with these credentials, or None. Throttled; audits success and failure alike."""
    attempt = throttle.Attempt.of(username=username, address=address)
    user = _find_user(username)
    if throttle.locked_scopes(attempt):
        # refused before the password is checked: a locked account cannot be brute-forced at all
        audit.record_now("login.failure", user_id=user.id if user else None, details={"throttled": True})
        return None
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        _refuse(attempt, user=user, details={"known_user": user is not None})
        return None
    return user


def verify_second_factor(*, user: User, code: str, address: str | None) -> str | None:
    """Second login step: the method used ('totp' or 'recovery_code'), or None. Throttled like passwords."""
    from caseapp.auth import second_factor

    attempt = throttle.Attempt.of(username=user.username, address=address)
    if throttle.locked_scopes(attempt):
        details = {"throttled": True, "stage": "second_factor"}
        audit.record_now("login.failure", user_id=user.id, details=details)
        return None
    method = second_factor.check_code(user=user, code=code) if user.active else None
    if method is None:
        _refuse(attempt, user=user, details={"stage": "second_factor"})
        return None
    return method


def start_session(*, user: User, second_factor: str | None = None) -> str:
    """Create a server-side session for a verified user; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        UserSession(token_hash=token_hash(token), user_id=user.id, created_at=now, last_seen_at=now)
    )
    details = {"second_factor": second_factor} if second_factor else None
    audit.record("login.success", user_id=user.id, entity_type="user", entity_id=user.id, details=details)
    db.session.commit()
    user.session_token = token
    return token


def load_session(token: str) -> User | None:
    """The user behind a session token, if the session is live; ends idle or too-old sessions."""
    session_row = db.session.get(UserSession, token_hash(token))
    if session_row is None or session_row.revoked:
        return None
    now = utcnow()
    idle = dt.timedelta(seconds=current_app.config["SESSION_IDLE_TIMEOUT_SECONDS"])
    absolute = dt.timedelta(seconds=current_app.config["SESSION_ABSOLUTE_TIMEOUT_SECONDS"])
    if now - session_row.last_seen_at > idle or now - session_row.created_at > absolute:
        prepare_write()
        session_row.revoked = True
        db.session.commit()
        return None
    user = session_row.user
    if not user.active:
        return None
    if now - session_row.last_seen_at > LAST_SEEN_GRANULARITY:
        prepare_write()
        session_row.last_seen_at = now
        db.session.commit()
    user.session_token = token
    return user


def end_session(*, token: str, user: User) -> None:
    """Logout: the token stops working at once, even if a copy of the cookie exists."""
    db.session.execute(
        update(UserSession).where(UserSession.token_hash == token_hash(token)).values(revoked=True)
    )
    audit.record("logout", user_id=user.id, entity_type="user", entity_id=user.id)
    db.session.commit()


def revoke_all_sessions(*, user: User, except_token: str | None = None) -> int:
    """End every session of a user (password change, deactivation, reset)."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked.is_(False))
    if except_token:
        stmt = stmt.where(UserSession.token_hash != token_hash(except_token))
    result = db.session.execute(stmt.values(revoked=True))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def check_new_password(password: str, *, username: str) -> None:
    """Length only (no composition rules), and not the username."""
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise PasswordRejected("too_short")
    if len(password) > 256:
        raise PasswordRejected("too_long")
    if password.strip().lower() == username.lower():
        raise PasswordRejected("is_username")


def change_password(*, user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one; other sessions end."""
    if not verify_password(user.password_hash, current):
        raise PasswordRejected("wrong_current")
    check_new_password(new, username=user.username)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    revoke_all_sessions(user=user, except_token=user.session_token)
    audit.record(
        "user.password_changed",
        user_id=user.id,
        entity_type="user",
        entity_id=user.id,
        fields=["password_hash"],
    )
    db.session.commit()
