"""Server-side login sessions: the cookie carries a random token, the database its hash and timestamps."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.extensions import Model
from caseapp.users.models import User


class UserSession(Model):
    __tablename__ = "user_sessions"

    # SHA-256 of the 256-bit token in the cookie: a copy of the database cannot be replayed as a login
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column()
    last_seen_at: Mapped[dt.datetime] = mapped_column()
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    user: Mapped[User] = relationship(lazy="joined")


class LoginFailure(Model):
    """A failed login, kept briefly for throttling; shared by every app process through the database."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(index=True)
    # hashes, so the table reveals neither typed usernames nor addresses
    username_hash: Mapped[bytes] = mapped_column(LargeBinary(32), index=True)
    address_hash: Mapped[bytes] = mapped_column(LargeBinary(32), index=True)
