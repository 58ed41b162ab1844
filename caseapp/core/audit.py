"""The append-only, hash-chained audit trail, written by one function.

Events name fields, never values: an audit row must be safe to show to any supervisor and to keep for years.
Each event stores the hash of the previous one; `flask audit verify` recomputes the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.core.db import prepare_write, utcnow
from caseapp.extensions import Model, db

log = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64


class AuditEvent(Model):
    """One audited action. Never updated or deleted by the application."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity_type: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(64), index=True)
    ward_code: Mapped[int | None] = mapped_column(Integer, index=True)
    request_id: Mapped[str | None] = mapped_column(String(32))
    # names of the fields touched, or other non-personal facts (counts, months, hashes)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Model):
    """A single row holding the chain's tip; locking it serialises writers so the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over a canonical encoding of the event and the previous hash."""
    payload = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "user_id": event.user_id,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "ward_code": event.ward_code,
        "request_id": event.request_id,
        "details": event.details or {},
        "prev_hash": event.prev_hash,
    }
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(encoded.encode("ascii")).hexdigest()


def _locked_head() -> AuditHead:
    stmt = select(AuditHead).where(AuditHead.id == 1).with_for_update()
    head = db.session.execute(stmt.execution_options(populate_existing=True)).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, last_hash=GENESIS_HASH)
        db.session.add(head)
        db.session.flush()
    return head


def _current_user_id() -> int | None:
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return int(current_user.id)
    return None


def record(
    action: str,
    *,
    user_id: int | None = None,
    entity_type: str | None = None,
    entity_id: object | None = None,
    ward_code: int | None = None,
    fields: Iterable[str] = (),
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event to the chain in the current transaction (the caller commits)."""
    prepare_write()
    head = _locked_head()
    info = dict(details or {})
    field_names = sorted(set(fields))
    if field_names:
        info["fields"] = field_names
    event = AuditEvent(
        seq=head.seq + 1,
        occurred_at=utcnow(),
        user_id=user_id if user_id is not None else _current_user_id(),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id) if entity_id is not None else None,
        ward_code=ward_code,
        request_id=g.get("request_id") if has_request_context() else None,
        details=info,
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    head.seq = event.seq
    head.last_hash = event.hash
    db.session.add(event)
    log.info("audit %s seq=%s entity=%s:%s", action, event.seq, entity_type, event.entity_id)
    return event


def record_now(action: str, **kwargs: Any) -> None:
    """Record and commit at once, for events outside a service transaction (denials, failed logins)."""
    db.session.rollback()
    record(action, **kwargs)
    db.session.commit()


def record_denial(*, reason: str, entity_type: str | None = None) -> None:
    """An access denial: which endpoint, never which values were asked for."""
    endpoint = request.endpoint if has_request_context() else None
    record_now(
        "access.denied",
        entity_type=entity_type,
        details={
            "endpoint": endpoint,
            "method": request.method if has_request_context() else None,
            "reason": reason,
        },
    )


@dataclass(frozen=True)
class ChainReport:
    """Outcome of verifying the chain: ok, events checked, and the first broken event's seq."""

    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str = ""


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every hash in order; name the first event that was edited, removed or moved."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_id = 0
    while True:
        stmt = select(AuditEvent).where(AuditEvent.seq >= expected_seq).order_by(AuditEvent.seq)
        batch = db.session.execute(stmt.limit(batch_size)).scalars().all()
        if not batch:
            break
        for event in batch:
            problem = _check_event(event, expected_seq, expected_prev)
            if problem:
                return ChainReport(False, checked, event.seq, event.id, problem)
            expected_prev = event.hash
            expected_seq += 1
            checked += 1
            last_id = event.id
        db.session.expunge_all()
    head = db.session.get(AuditHead, 1)
    if head is not None and (head.seq != checked or head.last_hash != expected_prev):
        return ChainReport(False, checked, checked + 1, last_id, "events missing at the end of the chain")
    return ChainReport(True, checked)


def _check_event(event: AuditEvent, expected_seq: int, expected_prev: str) -> str:
    if event.seq != expected_seq:
        return f"expected event #{expected_seq}, found #{event.seq} (an event was removed)"
    if event.prev_hash != expected_prev:
        return "previous-hash link broken (an event was removed or reordered)"
    if event_hash(event) != event.hash:
        return "content does not match its hash (the event was edited)"
    return ""
