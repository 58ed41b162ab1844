"""Staff users: one role, a set of wards, an argon2id password hash."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.core.access import Role
from caseapp.core.db import utcnow
from caseapp.extensions import Model, db
from caseapp.wards.models import Ward

user_wards = Table(
    "user_wards",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("ward_code", ForeignKey("wards.code"), primary_key=True, index=True),
)


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    # a one-time password from an admin or the CLI must be replaced at first login
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    preferred_locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column()
    wards: Mapped[list[Ward]] = relationship(secondary=user_wards, order_by=Ward.name, lazy="selectin")

    @property
    def session_token(self) -> str | None:
        """The server-side session this request runs under (Flask-Login stores it, never the user id)."""
        return self.__dict__.get("_session_token")

    @session_token.setter
    def session_token(self, value: str | None) -> None:
        self.__dict__["_session_token"] = value

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        if not self.session_token:
            raise RuntimeError("a user is logged in only through a server-side session")
        return self.session_token

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def ward_codes(self) -> set[int]:
        return {w.code for w in self.wards}

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
