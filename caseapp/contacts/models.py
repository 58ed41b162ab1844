"""Contact: one contact or consultation. Anonymous when client_id is empty (counted, nobody linked)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.clients.models import Client
from caseapp.core.crypto import EncryptedText
from caseapp.core.db import new_uuid, utcnow
from caseapp.extensions import Model


class Channel(enum.StrEnum):
    OUTREACH = "outreach"
    OFFICE = "office"
    PHONE = "phone"
    ONLINE = "online"
    GROUP = "group"


class Topic(enum.StrEnum):
    """The service categories plus the plan's other contact topics."""

    SOCIAL_ASSISTANCE = "social_assistance"
    PSYCHOLOGICAL = "psychological"
    LEGAL = "legal"
    HEALTH = "health"
    VOCATIONAL_TRAINING = "vocational_training"
    JOB_PLACEMENT = "job_placement"
    HARM_REDUCTION_HIV = "harm_reduction_hiv"
    GENDER_BASED_VIOLENCE = "gender_based_violence"
    RIGHTS_AT_WORK = "rights_at_work"


class Contact(Model):
    __tablename__ = "contacts"
    # statistics by ward and date use ix_contacts_ward_date_client (caseapp/indicators/indexes.py)
    __table_args__ = (
        Index("ix_contacts_client_date", "client_id", "contact_date"),
        # the caseload's follow-ups due: only the open ones, a small fraction of all contacts, per ward
        Index(
            "ix_contacts_open_follow_ups",
            "ward_code",
            "next_follow_up_on",
            postgresql_where=text("follow_up_done IS false"),
            sqlite_where=text("follow_up_done IS 0"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    client_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    contact_date: Mapped[dt.date] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(16))
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    next_follow_up_on: Mapped[dt.date | None] = mapped_column(index=True)
    follow_up_done: Mapped[bool] = mapped_column(Boolean, default=False)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    client: Mapped[Client | None] = relationship()

    @property
    def anonymous(self) -> bool:
        return self.client_id is None
