"""Scoped reads of contacts: casework roles see their own wards' contacts; nobody else sees any."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import abort
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased, load_only, selectinload

from caseapp.clients.models import Client, ClientStatus
from caseapp.contacts.models import Contact
from caseapp.core.access import Role, casework_ward_filter, user_role
from caseapp.core.clock import hanoi_today
from caseapp.extensions import db

# what lists show: no notes (nor the client's personal fields) are decrypted for a list
LIST_COLUMNS = (
    Contact.id,
    Contact.client_id,
    Contact.ward_code,
    Contact.worker_id,
    Contact.contact_date,
    Contact.channel,
    Contact.topics,
    Contact.duration_minutes,
    Contact.next_follow_up_on,
    Contact.follow_up_done,
    Contact.created_at,
)
CLIENT_CODE_ONLY = selectinload(Contact.client).load_only(
    Client.id, Client.code, Client.ward_code, Client.status
)
# follow-ups due within this many days show on the caseload next to the overdue ones
FOLLOW_UP_HORIZON_DAYS = 7


def contacts_visible_to(user: Any) -> Select[tuple[Contact]]:
    """The one starting point for any read of contacts shown to `user`."""
    stmt = select(Contact).where(casework_ward_filter(Contact.ward_code, user))
    if user_role(user) != Role.SUPERVISOR:
        # as for the client (clients_visible_to): a restricted person's records are out of workers' hands
        person = aliased(Client)  # its own alias: queries that join clients must not correlate this one
        restricted = select(person.id).where(person.id == Contact.client_id, person.restricted.is_(True))
        stmt = stmt.where(~restricted.exists())
    return stmt


def get_contact_or_404(user: Any, contact_id: uuid.UUID) -> Contact:
    """A contact `user` may see; anything else is 404, so its existence is not revealed."""
    contact = db.session.scalars(contacts_visible_to(user).where(Contact.id == contact_id)).one_or_none()
    if contact is None:
        abort(404)
    return contact


def recent_contacts(user: Any, *, limit: int = 50) -> list[Contact]:
    """The latest contacts in `user`'s wards, newest first."""
    stmt = contacts_visible_to(user).options(load_only(*LIST_COLUMNS), CLIENT_CODE_ONLY)
    stmt = stmt.order_by(Contact.contact_date.desc(), Contact.created_at.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def contacts_of_client(user: Any, client: Client, *, limit: int = 100) -> list[Contact]:
    """The client's contacts that `user` may see, newest first (the client page's timeline)."""
    stmt = contacts_visible_to(user).where(Contact.client_id == client.id)
    stmt = stmt.order_by(Contact.contact_date.desc(), Contact.created_at.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def follow_ups_due(user: Any, *, today: dt.date | None = None, limit: int = 100) -> list[Contact]:
    """Open follow-ups overdue or due soon: a worker's own contacts and clients, a supervisor's wards."""
    today = today or hanoi_today()
    stmt = (
        contacts_visible_to(user)
        .join(Client, Contact.client_id == Client.id)
        .where(
            Contact.follow_up_done.is_(False),
            Contact.next_follow_up_on <= today + dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS),
            # the client too must be in the user's wards: a follow-up opens the client's page
            casework_ward_filter(Client.ward_code, user),
            Client.status == ClientStatus.ACTIVE.value,
            Client.restricted.is_(False),
        )
        .options(load_only(*LIST_COLUMNS), CLIENT_CODE_ONLY)
        .order_by(Contact.next_follow_up_on, Contact.contact_date)
        .limit(limit)
    )
    if user_role(user) == Role.WORKER:
        stmt = stmt.where(or_(Contact.worker_id == user.id, Client.worker_id == user.id))
    return list(db.session.scalars(stmt))
