"""Provider: public information about an organisation that delivers a service."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.core.db import utcnow
from caseapp.extensions import Model, db
from caseapp.wards.models import Ward

provider_wards = Table(
    "provider_wards",
    db.metadata,
    Column("provider_id", ForeignKey("providers.id", ondelete="CASCADE"), primary_key=True),
    Column("ward_code", ForeignKey("wards.code"), primary_key=True, index=True),
)


class Provider(Model):
    """Public data only (an organisation, not a person), so nothing here is encrypted."""

    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    wards: Mapped[list[Ward]] = relationship(secondary=provider_wards, order_by=Ward.name)
