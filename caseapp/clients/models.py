"""Client, Consent and Need. Personal fields are encrypted columns; statistics use only the plain ones."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.core.crypto import BIDX_LEN, EncryptedDate, EncryptedText
from caseapp.core.db import new_uuid, utcnow
from caseapp.extensions import Model


class ServiceCategory(enum.StrEnum):
    """The six support services of the plan (stable codes; labels are translated)."""

    SOCIAL_ASSISTANCE = "social_assistance"
    PSYCHOLOGICAL = "psychological"
    LEGAL = "legal"
    HEALTH = "health"
    VOCATIONAL_TRAINING = "vocational_training"
    JOB_PLACEMENT = "job_placement"


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    TRANSGENDER = "transgender"
    OTHER = "other"
    UNKNOWN = "unknown"


class ClientStatus(enum.StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class CloseReason(enum.StrEnum):
    REINTEGRATED = "reintegrated"
    MOVED = "moved"
    DECLINED = "declined"
    LOST_CONTACT = "lost_contact"
    DECEASED = "deceased"


class Client(Model):
    """A person supported. Identified to staff only by a random code; personal fields are encrypted."""

    __tablename__ = "clients"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    # random, carries no personal information, e.g. HN-7K3F-9Q
    code: Mapped[str] = mapped_column(String(16), unique=True)
    ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"), index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # non-identifying fields used by statistics
    sex: Mapped[str] = mapped_column(String(16), default=Sex.UNKNOWN.value)
    birth_year: Mapped[int] = mapped_column(Integer)
    migrant: Mapped[bool | None] = mapped_column(Boolean)  # from another province (ngoại tỉnh)
    registered_on: Mapped[dt.date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(10), default=ClientStatus.ACTIVE.value, index=True)
    closed_reason: Mapped[str | None] = mapped_column(String(20))
    closed_on: Mapped[dt.date | None] = mapped_column(index=True)
    # a data-subject request to restrict processing hides the record from workers until lifted
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    erased_at: Mapped[dt.datetime | None] = mapped_column()
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # encrypted personal fields (declared in caseapp/core/crypto/registry.py)
    alias: Mapped[str | None] = mapped_column(EncryptedText)
    full_name: Mapped[str | None] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    id_number: Mapped[str | None] = mapped_column(EncryptedText)
    date_of_birth: Mapped[dt.date | None] = mapped_column(EncryptedDate)
    address: Mapped[str | None] = mapped_column(EncryptedText)
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    # blind indexes for exact lookups and duplicate checks only
    phone_bidx: Mapped[bytes | None] = mapped_column(LargeBinary(BIDX_LEN), index=True)
    id_number_bidx: Mapped[bytes | None] = mapped_column(LargeBinary(BIDX_LEN), index=True)
    name_birth_bidx: Mapped[bytes | None] = mapped_column(LargeBinary(BIDX_LEN), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # two people saving the same client: the second save fails instead of silently overwriting
    version: Mapped[int] = mapped_column(Integer, default=1)

    consents: Mapped[list[Consent]] = relationship(back_populates="client", order_by="Consent.created_at")
    needs: Mapped[list[Need]] = relationship(back_populates="client", order_by="Need.category")

    __mapper_args__: dict[str, Any] = {"version_id_col": version}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"<Client {self.code}>"


class ConsentPurpose(enum.StrEnum):
    CASE_MANAGEMENT = "case_management"
    REFERRAL = "referral"
    FOLLOW_UP_CONTACT = "follow_up_contact"
    ANONYMOUS_STATISTICS = "anonymous_statistics"


class DataCategory(enum.StrEnum):
    IDENTITY = "identity"  # full name, alias, ID number, date of birth
    CONTACT_DETAILS = "contact_details"  # phone, address
    HEALTH = "health"
    CASE_NOTES = "case_notes"


class Consent(Model):
    """Consent to store personal data: what for, which data, when, recorded by whom; withdrawal kept."""

    __tablename__ = "consents"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    given: Mapped[bool] = mapped_column(Boolean)
    purposes: Mapped[list[str]] = mapped_column(JSON, default=list)
    data_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    given_on: Mapped[dt.date] = mapped_column()
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_on: Mapped[dt.date | None] = mapped_column()
    withdrawal_recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    client: Mapped[Client] = relationship(back_populates="consents")

    @property
    def in_force(self) -> bool:
        return self.given and self.withdrawn_on is None


class Need(Model):
    """A need in one service category, with the eligibility decision and when it was met."""

    __tablename__ = "needs"
    __table_args__ = (UniqueConstraint("client_id", "category"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(30), index=True)
    identified_on: Mapped[dt.date] = mapped_column()
    eligible: Mapped[bool | None] = mapped_column(Boolean)
    eligibility_decided_on: Mapped[dt.date | None] = mapped_column(index=True)
    # a short basis for the decision; may describe the person's situation, so it is encrypted
    eligibility_basis: Mapped[str | None] = mapped_column(EncryptedText)
    met_on: Mapped[dt.date | None] = mapped_column()
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    client: Mapped[Client] = relationship(back_populates="needs")
