"""Scoped reads of referrals: casework roles see their own wards' referrals; nobody else sees any."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import abort
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased, load_only, selectinload

from caseapp.clients.models import Client
from caseapp.core.access import Role, casework_ward_filter, user_role
from caseapp.core.clock import hanoi_today
from caseapp.extensions import db
from caseapp.referrals.models import OPEN_STATUSES, TRANSITIONS, Referral, ReferralStatus

# a referral still waiting this many days after it was made is flagged for a call to the provider
OVERDUE_DAYS = 30
OPEN = [s.value for s in OPEN_STATUSES]
# lists show codes, categories, providers and dates: nothing personal is decrypted for them
LIST_COLUMNS = (
    Referral.id,
    Referral.client_id,
    Referral.ward_code,
    Referral.category,
    Referral.provider_id,
    Referral.referred_on,
    Referral.status,
    Referral.status_changed_on,
    Referral.received_on,
    Referral.created_at,
    Referral.version,
)
LIST_OPTIONS = (
    load_only(*LIST_COLUMNS),
    selectinload(Referral.client).load_only(Client.id, Client.code, Client.ward_code),
    selectinload(Referral.provider),
)


def referrals_visible_to(user: Any) -> Select[tuple[Referral]]:
    """The one starting point for any read of referrals shown to `user`."""
    stmt = select(Referral).where(casework_ward_filter(Referral.ward_code, user))
    if user_role(user) != Role.SUPERVISOR:
        # as for the client (clients_visible_to): a restricted person's records are out of workers' hands
        person = aliased(Client)  # its own alias: queries that join clients must not correlate this one
        restricted = select(person.id).where(person.id == Referral.client_id, person.restricted.is_(True))
        stmt = stmt.where(~restricted.exists())
    return stmt


def get_referral_or_404(user: Any, referral_id: uuid.UUID) -> Referral:
    """A referral `user` may see; anything else is 404, so its existence is not revealed."""
    stmt = referrals_visible_to(user).where(Referral.id == referral_id)
    referral = db.session.scalars(stmt.options(selectinload(Referral.events))).one_or_none()
    if referral is None:
        abort(404)
    return referral


def referrals_of_client(user: Any, client: Client) -> list[Referral]:
    """The client's referrals that `user` may see, newest first (the client page's timeline)."""
    stmt = referrals_visible_to(user).where(Referral.client_id == client.id)
    stmt = stmt.options(load_only(*LIST_COLUMNS), selectinload(Referral.provider))
    return list(db.session.scalars(stmt.order_by(Referral.referred_on.desc(), Referral.created_at.desc())))


def waiting_on_provider(user: Any, *, limit: int = 100) -> list[Referral]:
    """Referrals referred or accepted: a worker's own (theirs or their clients'), a supervisor's wards."""
    stmt = (
        referrals_visible_to(user)
        .join(Client, Referral.client_id == Client.id)
        .where(
            Referral.status.in_(OPEN),
            casework_ward_filter(Client.ward_code, user),
            Client.restricted.is_(False),
        )
        .options(*LIST_OPTIONS)
        .order_by(Referral.referred_on, Referral.created_at)
        .limit(limit)
    )
    if user_role(user) == Role.WORKER:
        stmt = stmt.where(or_(Referral.created_by == user.id, Client.worker_id == user.id))
    return list(db.session.scalars(stmt))


def recent_referrals(user: Any, *, limit: int = 50) -> list[Referral]:
    """The latest referrals in `user`'s wards whatever their status, newest first."""
    stmt = referrals_visible_to(user).options(*LIST_OPTIONS)
    return list(db.session.scalars(stmt.order_by(Referral.referred_on.desc()).limit(limit)))


def is_overdue(referral: Referral, today: dt.date | None = None) -> bool:
    """Still open more than OVERDUE_DAYS after it was made."""
    if referral.status not in OPEN:
        return False
    return ((today or hanoi_today()) - referral.referred_on).days > OVERDUE_DAYS


def next_statuses(referral: Referral) -> list[str]:
    """The statuses the referral may move to, in a stable order (the happy path first)."""
    allowed = TRANSITIONS[ReferralStatus(referral.status)]
    return [s.value for s in ReferralStatus if s in allowed]
