"""Helpers for the clients tests: registration through the real service, row counts, raw column bytes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select, text

from caseapp.clients.models import Client, Consent, Need
from caseapp.clients.services import ClientDetails, ConsentTerms, register_client
from caseapp.core.audit import AuditEvent
from caseapp.core.clock import hanoi_today
from caseapp.extensions import db
from caseapp.users.models import User
from tests.factories import WARD_A

TODAY = hanoi_today()
ALL_CATEGORIES = ("identity", "contact_details", "health", "case_notes")


def terms(
    *,
    given: bool = True,
    purposes: tuple[str, ...] = ("case_management", "referral"),
    categories: tuple[str, ...] = ALL_CATEGORIES,
    on: dt.date | None = None,
) -> ConsentTerms:
    return ConsentTerms(given=given, purposes=purposes, data_categories=categories, given_on=on or TODAY)


def details(alias: str = "Hoa", birth_year: int = 1998, **fields: Any) -> ClientDetails:
    return ClientDetails(alias=alias, birth_year=birth_year, **fields)


def register(
    actor: User, ward: int = WARD_A, *, consent: ConsentTerms | None = None, **fields: Any
) -> Client:
    """A client registered through the service (duplicates allowed unless told otherwise)."""
    allow = fields.pop("allow_duplicate", True)
    return register_client(
        actor=actor,
        ward_code=ward,
        details=details(**fields),
        consent=consent or terms(),
        allow_duplicate=allow,
    )


def counts() -> dict[str, int]:
    """Rows in every table a client form can write: equal counts mean nothing was written."""
    tables = {"clients": Client, "consents": Consent, "needs": Need, "audit": AuditEvent}
    return {
        name: int(db.session.scalar(select(func.count()).select_from(m)) or 0) for name, m in tables.items()
    }


def raw_row(table: str, row_id: object) -> bytes:
    """Every stored byte of a row, as the database holds it (to prove nothing personal is in the clear)."""
    id_value = row_id.hex if db.engine.dialect.name == "sqlite" else row_id  # type: ignore[attr-defined]
    row = db.session.execute(text(f"SELECT * FROM {table} WHERE id = :id"), {"id": id_value}).one()  # noqa: S608
    return b"|".join(
        v if isinstance(v, bytes) else bytes(v) if isinstance(v, memoryview) else str(v).encode() for v in row
    )


def audit_dump() -> str:
    """Every audit row as text, to look for canary values."""
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))
    return "\n".join(f"{e.action} {e.entity_id} {e.details}" for e in events)
