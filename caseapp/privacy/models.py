"""A register of data-subject requests and retention erasures, with their dates."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.clients.models import Client
from caseapp.core.db import new_uuid, utcnow
from caseapp.extensions import Model


class RequestKind(enum.StrEnum):
    ACCESS = "access"  # a copy of the person's own data
    RECTIFICATION = "rectification"
    RESTRICTION = "restriction"
    RESTRICTION_LIFTED = "restriction_lifted"
    ERASURE = "erasure"


class RequestSource(enum.StrEnum):
    PERSON = "person"  # asked for by the person (or their representative)
    RETENTION = "retention"  # the retention period after closing passed


class DataSubjectRequest(Model):
    """One request and what was done about it. Holds no personal data: field names and dates only."""

    __tablename__ = "data_subject_requests"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    source: Mapped[str] = mapped_column(String(16), default=RequestSource.PERSON.value)
    # the day the person asked; the law's response times run from it
    received_on: Mapped[dt.date | None] = mapped_column()
    completed_on: Mapped[dt.date] = mapped_column(index=True)
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # names of the fields corrected or erased, never their values
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    client: Mapped[Client] = relationship()
