"""Export jobs: a requested monthly file, made in the background and kept for its requester to download.

The suppression engine can take minutes for the last months of a year, longer than a web request may
last; the request records the job and returns at once, and the page shows it ready when it is. A job's
file holds aggregates only (the same bytes the command line writes); it is downloadable by its requester
alone and deleted after KEEP_DAYS.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.core.db import new_uuid, utcnow
from caseapp.extensions import Model

KEEP_DAYS = 30


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class ExportJob(Model):
    __tablename__ = "export_jobs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    threshold: Mapped[int] = mapped_column(Integer)
    fmt: Mapped[str] = mapped_column(String(4))
    # None: every ward (an analyst); otherwise the supervisor's ward codes when asked
    scope: Mapped[list[int] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(8), default=JobStatus.PENDING.value)
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str | None] = mapped_column(String(64))

    @property
    def download_name(self) -> str:
        return f"caseapp-thong-ke-{self.month}.{self.fmt}"
