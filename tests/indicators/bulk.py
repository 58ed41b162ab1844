"""A generated programme (several years of history) inserted in bulk, for query-plan and query-count tests."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from sqlalchemy import insert, text

from caseapp.clients.models import Client, Need
from caseapp.contacts.models import Contact
from caseapp.extensions import db
from caseapp.indicators.queries import CATEGORIES
from caseapp.referrals.models import Referral
from caseapp.wards.models import Ward

YEARS = (2024, 2025, 2026)


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def generate(*, clients: int, contacts_per_client: int, wards: list[int], seed: int = 7) -> None:
    """Clients spread over `wards` and YEARS, with needs, referrals and contacts (a fifth anonymous)."""
    rng = random.Random(seed)
    client_rows, need_rows, referral_rows, contact_rows = [], [], [], []
    for n in range(clients):
        cid, ward, year = uuid.uuid4(), rng.choice(wards), rng.choice(YEARS)
        client_rows.append(
            {
                "id": cid,
                "code": f"B{seed}-{n:07d}",
                "ward_code": ward,
                "sex": "female",
                "birth_year": 1990,
                "registered_on": _day(rng, year),
                "status": "active",
                "restricted": False,
                "demo": False,
                "version": 1,
            }
        )
        for category in rng.sample(CATEGORIES, rng.randint(1, 2)):
            decided = _day(rng, year)
            need_rows.append(
                {
                    "id": uuid.uuid4(),
                    "client_id": cid,
                    "category": category,
                    "identified_on": decided,
                    "eligible": rng.random() < 0.8,
                    "eligibility_decided_on": decided,
                }
            )
            status = rng.choice(["referred", "accepted", "received", "received", "declined"])
            on = _day(rng, year)
            referral_rows.append(
                {
                    "id": uuid.uuid4(),
                    "client_id": cid,
                    "ward_code": ward,
                    "category": category,
                    "referred_on": on,
                    "status": status,
                    "status_changed_on": on,
                    "received_on": on if status == "received" else None,
                    "version": 1,
                }
            )
        for _ in range(contacts_per_client):
            anonymous = rng.random() < 0.2
            contact_rows.append(
                {
                    "id": uuid.uuid4(),
                    "client_id": None if anonymous else cid,
                    "ward_code": ward,
                    "contact_date": _day(rng, rng.choice(YEARS)),
                    "channel": "outreach",
                    "topics": [],
                    "follow_up_done": rng.random() < 0.5,
                    "next_follow_up_on": _day(rng, 2026),
                    "demo": False,
                }
            )
    for model, rows in (
        (Client, client_rows),
        (Need, need_rows),
        (Referral, referral_rows),
        (Contact, contact_rows),
    ):
        for start in range(0, len(rows), 5000):
            db.session.connection().execute(insert(model.__table__), rows[start : start + 5000])
    db.session.commit()
    analyse()


def analyse() -> None:
    """Fresh planner statistics, as a production database would have."""
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


def programme(n: int) -> list[int]:
    """The first `n` ward codes, put into the 2025 cohort."""
    codes = [code for (code,) in db.session.execute(db.select(Ward.code).order_by(Ward.code).limit(n))]
    db.session.execute(db.update(Ward).where(Ward.code.in_(codes)).values(cohort=2025))
    db.session.commit()
    return codes
