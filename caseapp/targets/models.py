"""Target: the plan's figures for one programme year (a calendar year)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.core.db import utcnow
from caseapp.extensions import Model

# Kế hoạch 07/KH-UBND (2026): 550 contacts/consultations, at least 60 % of eligible people served
DEFAULT_CONTACTS = 550
DEFAULT_SERVICE_ACCESS_PCT = 60


class Target(Model):
    __tablename__ = "targets"
    __table_args__ = (
        CheckConstraint("contacts >= 0", name="contacts_not_negative"),
        CheckConstraint("service_access_pct BETWEEN 1 AND 100", name="service_access_pct_range"),
    )

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    contacts: Mapped[int] = mapped_column(Integer)
    service_access_pct: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<Target {self.year}>"
