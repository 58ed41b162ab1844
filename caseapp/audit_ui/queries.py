"""Scoped reads of the audit trail: a supervisor sees the events of their wards, and of their clients."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, or_, select

from caseapp.clients.models import Client, Consent, Need
from caseapp.contacts.models import Contact
from caseapp.core.access import casework_ward_filter, ward_codes_of
from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from caseapp.referrals.models import Referral
from caseapp.users.models import User, user_wards

PAGE_SIZE = 100
# the trail is kept in UTC; the filters are Hà Nội days
HANOI_OFFSET = dt.timedelta(hours=7)


@dataclass(frozen=True)
class AuditFilters:
    """What the supervisor asked for; every part optional."""

    user_id: int | None = None
    client: Client | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    before_seq: int | None = None


@dataclass(frozen=True)
class AuditRow:
    """One event as shown: the event, who did it, and the client code when the record is a client."""

    event: AuditEvent
    staff: str
    client_code: str | None


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    next_before: int | None


def staff_of_wards(user: Any) -> list[User]:
    """Everyone assigned to one of `user`'s wards (the choices of the staff filter)."""
    codes = ward_codes_of(user)
    stmt = (
        select(User)
        .join(user_wards, user_wards.c.user_id == User.id)
        .where(user_wards.c.ward_code.in_(codes))
    )
    return sorted(set(db.session.scalars(stmt)), key=lambda u: u.username)


def record_ids_of(client: Client) -> list[str]:
    """The ids of the client and of every record linked to it, as the audit stores them."""
    ids: list[uuid.UUID] = [client.id]
    for model in (Contact, Referral, Need, Consent):
        ids += db.session.scalars(select(model.id).where(model.client_id == client.id))
    return [str(i) for i in ids]


def _scope(user: Any, client: Client | None) -> ColumnElement[bool]:
    if client is None:
        return casework_ward_filter(AuditEvent.ward_code, user)
    # `client` was found through the user's scope: events about it or its records are theirs to see,
    # including list views, which name the clients shown among their details
    return or_(
        AuditEvent.entity_id.in_(record_ids_of(client)),
        cast(AuditEvent.details, String).contains(str(client.id)),
    )


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time()) - HANOI_OFFSET


def _filtered(user: Any, filters: AuditFilters) -> Select[tuple[AuditEvent, str]]:
    stmt = (
        select(AuditEvent, User.username)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(_scope(user, filters.client))
    )
    if filters.user_id is not None:
        stmt = stmt.where(AuditEvent.user_id == filters.user_id)
    if filters.date_from is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= _utc(filters.date_from))
    if filters.date_to is not None:
        stmt = stmt.where(AuditEvent.occurred_at < _utc(filters.date_to + dt.timedelta(days=1)))
    if filters.before_seq is not None:
        stmt = stmt.where(AuditEvent.seq < filters.before_seq)
    return stmt.order_by(AuditEvent.seq.desc()).limit(PAGE_SIZE + 1)


def _client_codes(user: Any, events: Iterable[AuditEvent]) -> dict[str, str]:
    ids = set()
    for event in events:
        if event.entity_type == "client" and event.entity_id:
            try:
                ids.add(uuid.UUID(event.entity_id))
            except ValueError:
                continue
    if not ids:
        return {}
    stmt = select(Client.id, Client.code).where(
        Client.id.in_(ids), casework_ward_filter(Client.ward_code, user)
    )
    return {str(client_id): code for client_id, code in db.session.execute(stmt)}


def audit_page(user: Any, filters: AuditFilters) -> AuditPage:
    """Up to PAGE_SIZE events, newest first, and where the next (older) page starts."""
    found = list(db.session.execute(_filtered(user, filters)))
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    codes = _client_codes(user, (event for event, _ in found))
    rows = [AuditRow(event, staff or "—", codes.get(event.entity_id or "")) for event, staff in found]
    return AuditPage(rows, rows[-1].event.seq if more and rows else None)
