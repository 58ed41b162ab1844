"""Retention: the personal data of a closed case is erased once RETENTION_DAYS_AFTER_CLOSE have passed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from caseapp.clients.models import Client, ClientStatus
from caseapp.core import audit
from caseapp.extensions import db
from caseapp.privacy import clock
from caseapp.privacy.erasure import scrub_storage
from caseapp.privacy.models import RequestSource
from caseapp.privacy.services import erase_client


@dataclass(frozen=True)
class RetentionResult:
    """What a retention run did: the cut-off day and how many clients were erased."""

    closed_before: dt.date
    erased: int


def cutoff(today: dt.date) -> dt.date:
    """Cases closed before this day have passed the retention period."""
    return today - dt.timedelta(days=int(current_app.config["RETENTION_DAYS_AFTER_CLOSE"]))


def due_for_erasure(today: dt.date) -> list[Client]:
    """Closed clients, not yet erased, whose closing day is older than the retention period."""
    stmt = select(Client).where(
        Client.status == ClientStatus.CLOSED.value,
        Client.closed_on < cutoff(today),
        Client.erased_at.is_(None),
    )
    return list(db.session.scalars(stmt.order_by(Client.closed_on)))


def apply_retention(*, dry_run: bool = False) -> RetentionResult:
    """Erase every client past retention (one transaction each), then rewrite the storage once."""
    today = clock.hanoi_today()
    due = due_for_erasure(today)
    if not dry_run:
        for client in due:
            erase_client(
                client=client, actor=None, received_on=None, source=RequestSource.RETENTION, scrub=False
            )
        audit.record(
            "retention.applied", details={"erased": len(due), "closed_before": cutoff(today).isoformat()}
        )
        db.session.commit()
        scrub_storage()
    return RetentionResult(cutoff(today), len(due))
