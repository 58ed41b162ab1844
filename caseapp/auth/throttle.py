"""Login throttling per account and per client address, held in the database so every process shares it.

A failed password or second-factor code adds a row to `login_failures` with keyed hashes of the typed
username and of the address. While either has reached the per-minute or per-hour limit, attempts are refused
before any password is checked, with the same message as a wrong password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import InstrumentedAttribute

from caseapp.auth.models import LoginFailure
from caseapp.core.db import utcnow
from caseapp.extensions import db

MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Attempt:
    """Who is trying to log in, as keyed hashes only: the table never holds a typed name or an address."""

    username_hash: bytes
    address_hash: bytes

    @classmethod
    def of(cls, *, username: str, address: str | None) -> Attempt:
        return cls(_keyed("username", username.strip().lower()), _keyed("address", address or "unknown"))


def _keyed(purpose: str, value: str) -> bytes:
    # keyed, so a leaked table cannot be matched against a list of usernames or addresses
    key = hashlib.sha256(f"caseapp-login-throttle:{current_app.config['SECRET_KEY']}".encode()).digest()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).digest()


def _counts(column: InstrumentedAttribute[bytes], value: bytes, now: dt.datetime) -> tuple[int, int]:
    """Failures in the last minute and the last hour for one key."""
    last_minute = func.sum(case((LoginFailure.occurred_at > now - MINUTE, 1), else_=0))
    stmt = select(last_minute, func.count()).where(column == value, LoginFailure.occurred_at > now - HOUR)
    minute, hour = db.session.execute(stmt).one()
    return int(minute or 0), int(hour or 0)


def locked_scopes(attempt: Attempt) -> list[str]:
    """Which of 'account' and 'address' have reached a limit right now (empty: the attempt may proceed)."""
    now = utcnow()
    per_minute = current_app.config["LOGIN_FAILURES_PER_MINUTE"]
    per_hour = current_app.config["LOGIN_FAILURES_PER_HOUR"]
    scopes = []
    for scope, column, value in (
        ("account", LoginFailure.username_hash, attempt.username_hash),
        ("address", LoginFailure.address_hash, attempt.address_hash),
    ):
        minute, hour = _counts(column, value, now)
        if minute >= per_minute or hour >= per_hour:
            scopes.append(scope)
    return scopes


def note_failure(attempt: Attempt) -> list[str]:
    """Store a failure (in the caller's transaction); returns the scopes this failure has just locked."""
    before = set(locked_scopes(attempt))
    now = utcnow()
    db.session.add(
        LoginFailure(occurred_at=now, username_hash=attempt.username_hash, address_hash=attempt.address_hash)
    )
    # nothing older than the longest window is ever needed again
    db.session.execute(delete(LoginFailure).where(LoginFailure.occurred_at <= now - HOUR))
    db.session.flush()
    return [scope for scope in locked_scopes(attempt) if scope not in before]
