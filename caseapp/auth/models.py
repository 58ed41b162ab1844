"""Server-side login sessions, login failures for throttling, and the second factor (TOTP, recovery codes)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.core.crypto import EncryptedText
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


class SecondFactor(Model):
    """A user's TOTP secret (encrypted with the key ring) and the last time step accepted."""

    __tablename__ = "user_second_factors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # base32 TOTP secret; a stolen database dump must not yield working codes
    secret: Mapped[str] = mapped_column(EncryptedText)
    # None while enrolling: the user has seen the QR code but not yet typed a code from it
    confirmed_at: Mapped[dt.datetime | None] = mapped_column()
    # a code is accepted once: only time steps after this one are valid
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column()


class RecoveryCode(Model):
    """A single-use recovery code, stored only as an argon2id hash."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column()
