"""Scoped reads of clients. Every list, page, search and duplicate check starts from clients_visible_to()."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import load_only, selectinload

from caseapp.clients import rules
from caseapp.clients.codes import normalise_code
from caseapp.clients.errors import ClientRefused
from caseapp.clients.models import Client, ClientStatus
from caseapp.core.access import Role, casework_ward_filter, user_role
from caseapp.core.crypto import blind_index, name_birth_year_index, normalise_name
from caseapp.core.text import vietnamese_sort_key
from caseapp.extensions import db
from caseapp.users.models import User, user_wards

PER_PAGE = 50


def clients_visible_to(user: Any) -> Select[tuple[Client]]:
    """The one starting point for any read of clients: casework roles, own wards (restricted: supervisors)."""
    stmt = select(Client).where(casework_ward_filter(Client.ward_code, user))
    if user_role(user) != Role.SUPERVISOR:
        # a restricted record (consent withdrawn, a restriction request) is out of a worker's hands
        stmt = stmt.where(Client.restricted.is_(False))
    return stmt


def get_client_or_404(user: Any, client_id: uuid.UUID) -> Client:
    """A client `user` may see, with consents and needs loaded; anything else is 404."""
    stmt = clients_visible_to(user).where(Client.id == client_id)
    stmt = stmt.options(selectinload(Client.consents), selectinload(Client.needs))
    client = db.session.scalars(stmt).one_or_none()
    if client is None:
        abort(404)
    return client


def find_client_by_code(user: Any, text: str) -> Client | None:
    """The client whose code `text` spells, in `user`'s scope; None when absent and when out of scope."""
    code = normalise_code(text)
    if code is None:
        return None
    return db.session.scalars(clients_visible_to(user).where(Client.code == code)).one_or_none()


def _phone_condition(value: str | None) -> tuple[ColumnElement[bool] | None, str | None]:
    if not value:
        return None, None
    try:
        phone = rules.canonical_phone(value)
    except ClientRefused:
        return None, None
    return Client.phone_bidx == blind_index("phone", phone), phone


def _id_condition(value: str | None) -> tuple[ColumnElement[bool] | None, str | None]:
    if not value:
        return None, None
    try:
        number = rules.canonical_id_number(value)
    except ClientRefused:
        return None, None
    return Client.id_number_bidx == blind_index("id_number", number), number


# what deciding a match and listing it need: only these personal columns are decrypted for each candidate
LOOKUP_COLUMNS = (Client.phone, Client.id_number)
DUPLICATE_COLUMNS = (
    Client.id,
    Client.code,
    Client.phone,
    Client.id_number,
    Client.full_name,
    Client.birth_year,
)


def _candidates(
    user: Any, conditions: Iterable[ColumnElement[bool] | None], columns: tuple[Any, ...]
) -> list[Client]:
    wanted = [c for c in conditions if c is not None]
    if not wanted:
        return []
    # blind indexes are truncated on purpose: they fetch about R / 1024 candidates, decrypted values decide;
    # loading only `columns` keeps the other personal fields of those candidates sealed and unread
    stmt = clients_visible_to(user).where(or_(*wanted)).options(load_only(*columns))
    return list(db.session.scalars(stmt))


def find_by_phone_or_id(user: Any, value: str) -> list[Client]:
    """Clients in `user`'s scope whose phone or CCCD number is exactly `value` (exact match only)."""
    phone_cond, phone = _phone_condition(value)
    id_cond, number = _id_condition(value)
    found = [
        c
        for c in _candidates(user, [phone_cond, id_cond], (*LOOKUP_COLUMNS, *_LIST_COLUMNS))
        if (phone is not None and c.phone == phone) or (number is not None and c.id_number == number)
    ]
    return sorted(found, key=lambda c: c.code)


def possible_duplicates(
    user: Any, *, phone: str | None, id_number: str | None, full_name: str | None, birth_year: int
) -> list[str]:
    """Codes of clients in `user`'s scope with the same phone, CCCD, or name and birth year: codes only."""
    phone_cond, canon_phone = _phone_condition(phone)
    id_cond, canon_id = _id_condition(id_number)
    name = normalise_name(full_name) if full_name else ""
    name_cond = Client.name_birth_bidx == name_birth_year_index(name, birth_year) if name else None
    matches = set()
    for client in _candidates(user, [phone_cond, id_cond, name_cond], DUPLICATE_COLUMNS):
        same_phone = canon_phone is not None and client.phone == canon_phone
        same_id = canon_id is not None and client.id_number == canon_id
        same_name = bool(name) and client.birth_year == birth_year
        same_name = same_name and normalise_name(client.full_name or "") == name
        if same_phone or same_id or same_name:
            matches.add(client.code)
    return sorted(matches)


@dataclass(frozen=True)
class ClientRow:
    """What a list shows of a client, copied out of the ORM so rendering never reloads a row."""

    id: uuid.UUID
    code: str
    alias: str | None
    ward_code: int
    worker_id: int | None
    status: str
    restricted: bool
    erased: bool
    registered_on: dt.date

    @classmethod
    def of(cls, client: Client) -> ClientRow:
        erased = client.erased_at is not None
        return cls(
            client.id,
            client.code,
            None if erased else client.alias,
            client.ward_code,
            client.worker_id,
            client.status,
            client.restricted,
            erased,
            client.registered_on,
        )


@dataclass(frozen=True)
class CaseloadPage:
    """One page of a caseload: the rows shown, how many in all, and names of the assigned workers."""

    rows: list[ClientRow]
    total: int
    page: int
    per_page: int
    worker_names: dict[int, str]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def caseload(user: Any, *, page: int = 1, per_page: int = PER_PAGE) -> CaseloadPage:
    """Active clients of `user`'s wards, the user's own first; a constant number of queries per page."""
    base = clients_visible_to(user).where(Client.status == ClientStatus.ACTIVE.value)
    total = int(db.session.scalar(select(func.count()).select_from(base.subquery())) or 0)
    page = min(max(page, 1), max(1, -(-total // per_page)))
    mine_first = case((Client.worker_id == user.id, 0), else_=1)
    stmt = (
        base.options(load_only(*_LIST_COLUMNS))
        .order_by(mine_first, Client.registered_on.desc(), Client.code)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    rows = [ClientRow.of(client) for client in db.session.scalars(stmt)]
    # aliases are encrypted, so the database cannot order them: sort the page shown, Vietnamese-aware
    rows.sort(key=lambda r: (r.worker_id != user.id, vietnamese_sort_key(r.alias), r.code))
    return CaseloadPage(rows, total, page, per_page, staff_names(r.worker_id for r in rows))


# what a list row shows: the alias is the only personal field decrypted for it
_LIST_COLUMNS = (
    Client.id,
    Client.code,
    Client.ward_code,
    Client.worker_id,
    Client.status,
    Client.restricted,
    Client.erased_at,
    Client.registered_on,
    Client.alias,
)


def staff_names(user_ids: Iterable[int | None]) -> dict[int, str]:
    """Display names of staff members by id, in one query (for 'recorded by' and 'assigned to')."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {int(uid): str(name) for uid, name in rows}


def workers_of_ward(ward_code: int) -> list[User]:
    """Active social workers assigned to a ward (who a supervisor may hand a client to)."""
    stmt = (
        select(User)
        .join(user_wards, user_wards.c.user_id == User.id)
        .where(user_wards.c.ward_code == ward_code, User.role == Role.WORKER.value, User.active.is_(True))
        .order_by(User.display_name)
    )
    return sorted(db.session.scalars(stmt), key=lambda u: vietnamese_sort_key(u.display_name))
