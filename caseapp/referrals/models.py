"""Referral and its status history. `received` means the service was used."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.clients.models import Client
from caseapp.core.crypto import EncryptedText
from caseapp.core.db import new_uuid, utcnow
from caseapp.extensions import Model
from caseapp.providers.models import Provider


class ReferralStatus(enum.StrEnum):
    REFERRED = "referred"
    ACCEPTED = "accepted"
    RECEIVED = "received"
    DECLINED = "declined"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


# referred → accepted → received, or it ends as declined / no_show / cancelled
TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.REFERRED: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.NO_SHOW, ReferralStatus.CANCELLED}
    ),
    ReferralStatus.ACCEPTED: frozenset(
        {ReferralStatus.RECEIVED, ReferralStatus.DECLINED, ReferralStatus.NO_SHOW, ReferralStatus.CANCELLED}
    ),
    ReferralStatus.RECEIVED: frozenset(),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.NO_SHOW: frozenset(),
    ReferralStatus.CANCELLED: frozenset(),
}
OPEN_STATUSES = frozenset({ReferralStatus.REFERRED, ReferralStatus.ACCEPTED})


class Referral(Model):
    __tablename__ = "referrals"
    __table_args__ = (
        Index("ix_referrals_ward_referred", "ward_code", "referred_on"),
        Index("ix_referrals_ward_received", "ward_code", "received_on"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    # the client's ward when referred: statistics and scoping need no join through clients
    ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"))
    category: Mapped[str] = mapped_column(String(30), index=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"), index=True)
    referred_on: Mapped[dt.date] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default=ReferralStatus.REFERRED.value)
    status_changed_on: Mapped[dt.date] = mapped_column()
    received_on: Mapped[dt.date | None] = mapped_column()
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    client: Mapped[Client] = relationship()
    provider: Mapped[Provider | None] = relationship()
    events: Mapped[list[ReferralEvent]] = relationship(
        back_populates="referral", order_by="ReferralEvent.recorded_at", cascade="all, delete-orphan"
    )

    __mapper_args__: dict[str, Any] = {"version_id_col": version}  # noqa: RUF012


class ReferralEvent(Model):
    """One status change: never updated, never deleted while the referral exists."""

    __tablename__ = "referral_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    occurred_on: Mapped[dt.date] = mapped_column()
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    referral: Mapped[Referral] = relationship(back_populates="events")
