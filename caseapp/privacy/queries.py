"""Scoped reads for data-subject requests: a supervisor reaches only the clients of their wards."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort
from sqlalchemy import Select, select

from caseapp.clients.codes import normalise_code
from caseapp.clients.models import Client
from caseapp.core.access import casework_ward_filter
from caseapp.extensions import db
from caseapp.privacy.models import DataSubjectRequest


def clients_for_requests(user: Any) -> Select[tuple[Client]]:
    """Clients whose requests `user` may handle: their wards, restricted ones included (they lift it)."""
    return select(Client).where(casework_ward_filter(Client.ward_code, user))


def get_client_or_404(user: Any, client_id: uuid.UUID) -> Client:
    client = db.session.scalars(clients_for_requests(user).where(Client.id == client_id)).one_or_none()
    if client is None:
        abort(404)
    return client


def find_client_by_code(user: Any, text: str) -> Client | None:
    """None both when no client has the code and when it is out of scope; typed codes are normalised."""
    code = normalise_code(text)
    if code is None:
        return None
    return db.session.scalars(clients_for_requests(user).where(Client.code == code)).one_or_none()


def requests_of(client: Client) -> list[DataSubjectRequest]:
    stmt = select(DataSubjectRequest).where(DataSubjectRequest.client_id == client.id)
    return list(db.session.scalars(stmt.order_by(DataSubjectRequest.created_at.desc())))


def recent_requests(user: Any, *, limit: int = 50) -> list[tuple[DataSubjectRequest, str]]:
    """The latest requests in `user`'s wards with their client codes, newest first."""
    stmt = (
        select(DataSubjectRequest, Client.code)
        .join(Client, Client.id == DataSubjectRequest.client_id)
        .where(casework_ward_filter(Client.ward_code, user))
        .order_by(DataSubjectRequest.created_at.desc())
        .limit(limit)
    )
    return [(request, code) for request, code in db.session.execute(stmt)]
