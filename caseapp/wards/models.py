"""The Ward model: official code and name, kind, programme cohort, active flag."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.extensions import Model

KINDS = ("phuong", "xa")
COHORTS = (2025, 2026)


class Ward(Model):
    __tablename__ = "wards"

    # the General Statistics Office code, stable across renames
    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    # the year the ward joined the programme (2025 or 2026), None if it is not in the programme
    cohort: Mapped[int | None] = mapped_column(Integer, index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def in_programme(self) -> bool:
        return self.cohort is not None and self.active

    def __repr__(self) -> str:
        return f"<Ward {self.code}>"
