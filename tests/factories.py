"""Plain factories for test data; no magic, each returns a committed object."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

from caseapp.clients.models import Client, Need
from caseapp.contacts.models import Contact
from caseapp.core.access import Role
from caseapp.extensions import db
from caseapp.referrals.models import Referral
from caseapp.users.models import User
from caseapp.users.services import create_user
from caseapp.wards.services import set_cohort

PASSWORD = "correct horse battery"
_counter = itertools.count(1)

# two programme wards used throughout the tests (codes from the official list)
WARD_A = 4  # Phường Ba Đình
WARD_B = 8  # Phường Ngọc Hà


def make_user(
    role: str,
    *,
    wards: Iterable[int] = (WARD_A,),
    username: str | None = None,
    must_change_password: bool = False,
) -> User:
    """A user with the shared test password, ready to log in (no forced change unless asked)."""
    codes = list(wards) if role in ("worker", "supervisor") else []
    user, _ = create_user(
        username=username or f"{role}{next(_counter)}",
        display_name=f"Test {role}",
        role=Role(role),
        ward_codes=codes,
        password=PASSWORD,
    )
    user.must_change_password = must_change_password
    db.session.commit()
    return user


def programme_wards(cohort: int = 2025, codes: Iterable[int] = (WARD_A, WARD_B)) -> None:
    set_cohort(codes=list(codes), cohort=cohort)


# --- casework rows inserted directly through the models (no services, no audit): statistics tests ---


def make_client(
    ward: int = WARD_A, *, worker: User | None = None, registered_on: dt.date | None = None, **fields: object
) -> Client:
    """A client with no personal data at all: a code, a ward and a birth year are enough for statistics."""
    client = Client(
        code=f"T-{next(_counter):06d}",
        ward_code=ward,
        worker_id=worker.id if worker else None,
        birth_year=1995,
        registered_on=registered_on or dt.date(2026, 1, 2),
        **fields,
    )
    db.session.add(client)
    db.session.commit()
    return client


def make_need(
    client: Client, category: str, *, eligible: bool | None = True, decided_on: dt.date | None = None
) -> Need:
    """A need in one category; eligible with a decision date unless told otherwise."""
    decided = decided_on or (dt.date(2026, 1, 5) if eligible is not None else None)
    need = Need(
        client_id=client.id,
        category=category,
        identified_on=decided or dt.date(2026, 1, 5),
        eligible=eligible,
        eligibility_decided_on=decided,
    )
    db.session.add(need)
    db.session.commit()
    return need


def make_contact(
    on: dt.date,
    *,
    client: Client | None = None,
    ward: int | None = None,
    worker: User | None = None,
    **fields: object,
) -> Contact:
    """A contact on a day: linked to `client` (in the client's ward unless told), or anonymous."""
    contact = Contact(
        client_id=client.id if client else None,
        ward_code=ward or (client.ward_code if client else WARD_A),
        worker_id=worker.id if worker else None,
        contact_date=on,
        channel="outreach",
        topics=[],
        **fields,
    )
    db.session.add(contact)
    db.session.commit()
    return contact


def make_referral(
    client: Client,
    category: str,
    *,
    status: str = "received",
    referred_on: dt.date = dt.date(2026, 1, 10),
    on: dt.date | None = None,
    **fields: object,
) -> Referral:
    """A referral in `status` since `on` (received_on too when received), in the client's ward."""
    changed = on or referred_on
    referral = Referral(
        client_id=client.id,
        ward_code=client.ward_code,
        category=category,
        referred_on=referred_on,
        status=status,
        status_changed_on=changed,
        received_on=changed if status == "received" else None,
        **fields,
    )
    db.session.add(referral)
    db.session.commit()
    return referral
