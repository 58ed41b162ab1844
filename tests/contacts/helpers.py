"""Casework test helpers shared by tests/contacts, tests/referrals and tests/providers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import Flask
from flask_babel import force_locale, gettext
from sqlalchemy import func, select, update

from caseapp.clients.codes import new_code
from caseapp.clients.models import Client, Consent
from caseapp.contacts.models import Contact
from caseapp.core.audit import AuditEvent
from caseapp.core.clock import hanoi_today
from caseapp.extensions import db
from caseapp.providers.models import Provider
from caseapp.referrals.models import Referral, ReferralEvent
from caseapp.users.models import User
from caseapp.wards.models import Ward
from tests.factories import WARD_A, make_client

TODAY = hanoi_today()


def consented_client(
    ward: int = WARD_A,
    *,
    status: str = "active",
    consent: bool = True,
    withdrawn: bool = False,
    **fields: object,
) -> Client:
    """A client with an alias and, unless told, consent in force."""
    fields.setdefault("alias", "Hoa")
    if status == "closed":
        fields.update(closed_reason="moved", closed_on=TODAY)
    worker_id = fields.pop("worker_id", None)
    worker = db.session.get(User, worker_id) if worker_id is not None else None
    client = make_client(
        ward, worker=worker, registered_on=TODAY - dt.timedelta(days=60), status=status, **fields
    )
    # a code of the real format, so the client-code picker can find it (set through Core: no re-encryption)
    table = Client.__table__
    db.session.execute(update(table).where(table.c.id == client.id).values(code=new_code()))
    db.session.commit()
    if consent:
        db.session.add(
            Consent(
                client_id=client.id,
                given=True,
                purposes=["case_management", "referral"],
                data_categories=["identity", "case_notes"],
                given_on=client.registered_on,
                withdrawn_on=TODAY if withdrawn else None,
            )
        )
        db.session.commit()
    return client


def make_provider(
    *,
    name: str = "Trung tâm Thử nghiệm (ví dụ)",
    categories: Iterable[str] = ("psychological",),
    wards: Iterable[int] = (),
    active: bool = True,
) -> Provider:
    """A provider serving `wards` (none: the whole city)."""
    provider = Provider(name=name, categories=list(categories), active=active)
    codes = list(wards)
    provider.wards = list(db.session.scalars(select(Ward).where(Ward.code.in_(codes)))) if codes else []
    db.session.add(provider)
    db.session.commit()
    return provider


def user(user_id: int) -> User:
    found = db.session.get(User, user_id)
    assert found is not None
    return found


def counts() -> dict[str, int]:
    """Row counts of every table a casework form can write: 'nothing changed' is these being equal."""
    tables = {
        "contacts": Contact,
        "referrals": Referral,
        "referral_events": ReferralEvent,
        "providers": Provider,
        "audit": AuditEvent,
    }
    return {
        name: int(db.session.scalar(select(func.count()).select_from(m)) or 0) for name, m in tables.items()
    }


def vi(app: Flask, message: str, **values: object) -> str:
    """The Vietnamese the app shows for an English message (catalogues are merged, so ask the app)."""
    with app.test_request_context(), force_locale("vi"):
        text = gettext(message, **values)
    assert text != message % values if values else text != message, f"untranslated: {message}"
    return text
