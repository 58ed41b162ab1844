"""Key check values: which keys the database was encrypted with, without storing the keys."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.core.db import utcnow
from caseapp.extensions import Model

FIELD = "field"
BLIND_INDEX = "blind_index"


class CryptoKeyCheck(Model):
    """One key known to this database: its check value, when it was added and retired."""

    __tablename__ = "crypto_key_checks"

    # "field" for field-encryption keys, "blind_index" for the blind-index key
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    check_value: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[dt.datetime | None] = mapped_column()

    def __repr__(self) -> str:
        return f"<CryptoKeyCheck {self.kind}:{self.key_id}>"
