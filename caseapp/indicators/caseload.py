"""Caseload review for supervisors: per worker, what they carry, what is overdue, where referrals stall.

Scoped like every casework read: rows come only from clients whose ward the user may see
(`casework_ward_filter`, so analysts and admins get nothing). Counts are GROUP BY queries; the two lists
are capped and carry only what a link needs (client id and pseudonymous code), never personal fields.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select

from caseapp.clients.models import Client, ClientStatus
from caseapp.contacts.models import Contact
from caseapp.core.access import casework_ward_filter, ward_codes_of
from caseapp.core.text import vietnamese_sort_key
from caseapp.extensions import db
from caseapp.referrals.models import OPEN_STATUSES, Referral
from caseapp.users.models import User, user_wards

# a referral waiting on a provider longer than this needs the supervisor's attention
STUCK_AFTER_DAYS = 30
LIST_LIMIT = 50
OPEN = sorted(s.value for s in OPEN_STATUSES)


@dataclass(frozen=True)
class WorkerLoad:
    """One worker's caseload; worker_id None collects clients nobody is assigned to."""

    worker_id: int | None
    name: str | None
    active_clients: int = 0
    contacts_this_month: int = 0
    overdue_follow_ups: int = 0
    stuck_referrals: int = 0


@dataclass(frozen=True)
class CaseItem:
    """A line of a review list: which client, whose case, since when and what is waiting."""

    client_id: uuid.UUID
    client_code: str
    worker_name: str | None
    since: dt.date
    days: int
    category: str | None = None
    status: str | None = None


def _cases(user: Any) -> ColumnElement[bool]:
    """Active, unrestricted clients of the user's wards (the cases a supervisor reviews)."""
    return (
        casework_ward_filter(Client.ward_code, user)
        & (Client.status == ClientStatus.ACTIVE.value)
        & (Client.restricted.is_(False))
    )


def _overdue(today: dt.date) -> ColumnElement[bool]:
    return (Contact.follow_up_done.is_(False)) & (Contact.next_follow_up_on < today)


def _stuck(today: dt.date) -> ColumnElement[bool]:
    return Referral.status.in_(OPEN) & (
        Referral.status_changed_on < today - dt.timedelta(days=STUCK_AFTER_DAYS)
    )


def _counts(stmt: Select[Any]) -> dict[int | None, int]:
    return {worker: int(n) for worker, n in db.session.execute(stmt)}


def caseload_by_worker(user: Any, today: dt.date) -> list[WorkerLoad]:
    """Per worker: active clients, contacts this month, overdue follow-ups, stalled referrals."""
    count = func.count()
    active = _counts(select(Client.worker_id, count).where(_cases(user)).group_by(Client.worker_id))
    contacts = _counts(
        select(Contact.worker_id, count)
        .where(
            casework_ward_filter(Contact.ward_code, user),
            Contact.contact_date.between(today.replace(day=1), today),
        )
        .group_by(Contact.worker_id)
    )
    overdue = _counts(
        select(Client.worker_id, count)
        .join(Contact, Contact.client_id == Client.id)
        .where(_cases(user), _overdue(today))
        .group_by(Client.worker_id)
    )
    stuck = _counts(
        select(Client.worker_id, count)
        .join(Referral, Referral.client_id == Client.id)
        .where(_cases(user), _stuck(today))
        .group_by(Client.worker_id)
    )
    carrying = {*active, *contacts, *overdue, *stuck}
    names = _worker_names(user, {worker for worker in carrying if worker is not None})
    ids: list[int | None] = [*sorted(names, key=lambda worker: vietnamese_sort_key(names[worker]))]
    if None in carrying:
        ids.append(None)  # clients nobody is assigned to, last
    return [
        WorkerLoad(
            worker_id,
            names.get(worker_id) if worker_id is not None else None,
            active.get(worker_id, 0),
            contacts.get(worker_id, 0),
            overdue.get(worker_id, 0),
            stuck.get(worker_id, 0),
        )
        for worker_id in ids
    ]


def _worker_names(user: Any, carrying: set[int]) -> dict[int, str]:
    """Display names of the workers of the user's wards, and of anyone else still carrying a case there."""
    in_wards = select(user_wards.c.user_id).where(user_wards.c.ward_code.in_(sorted(ward_codes_of(user))))
    stmt = select(User.id, User.display_name).where(
        or_(User.id.in_(sorted(carrying)), (User.id.in_(in_wards)) & (User.role == "worker") & User.active)
    )
    return {worker_id: name for worker_id, name in db.session.execute(stmt)}


def overdue_follow_ups(user: Any, today: dt.date, *, limit: int = LIST_LIMIT) -> list[CaseItem]:
    """Open follow-ups whose date has passed, oldest first."""
    stmt = (
        select(Client.id, Client.code, User.display_name, Contact.next_follow_up_on)
        .join(Contact, Contact.client_id == Client.id)
        .outerjoin(User, User.id == Client.worker_id)
        .where(_cases(user), _overdue(today))
        .order_by(Contact.next_follow_up_on, Client.code)
        .limit(limit)
    )
    return [
        CaseItem(cid, code, name, due, (today - due).days)
        for cid, code, name, due in db.session.execute(stmt)
    ]


def stuck_referrals(user: Any, today: dt.date, *, limit: int = LIST_LIMIT) -> list[CaseItem]:
    """Referrals still `referred` or `accepted` more than 30 days after their last change, oldest first."""
    stmt = (
        select(
            Client.id,
            Client.code,
            User.display_name,
            Referral.status_changed_on,
            Referral.category,
            Referral.status,
        )
        .join(Referral, Referral.client_id == Client.id)
        .outerjoin(User, User.id == Client.worker_id)
        .where(_cases(user), _stuck(today))
        .order_by(Referral.status_changed_on, Client.code)
        .limit(limit)
    )
    return [
        CaseItem(cid, code, name, since, (today - since).days, category, status)
        for cid, code, name, since, category, status in db.session.execute(stmt)
    ]
