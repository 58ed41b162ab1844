"""A populated ward for security and privacy tests: one of every casework record, full of canary values.

Every personal value contains the ward's canary tag, so a page, a file, a log line or an audit row that leaks
it is found by a plain substring search. Records are created directly through the models (no services, no
audit), so the tests see only what the code under test writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field

from caseapp.activities.models import Activity
from caseapp.clients.codes import ALPHABET
from caseapp.clients.models import Client, Consent, Need
from caseapp.contacts.models import Contact
from caseapp.core.crypto import blind_index, name_birth_year_index
from caseapp.extensions import db
from caseapp.providers.models import Provider
from caseapp.referrals.models import Referral, ReferralEvent
from caseapp.users.models import User
from caseapp.wards.models import Ward


@dataclass
class WardRecords:
    """Ids and canary values of one ward's records."""

    ward: int
    tag: str
    client_id: uuid.UUID
    client_code: str
    consent_id: uuid.UUID
    need_id: uuid.UUID
    contact_id: uuid.UUID
    referral_id: uuid.UUID
    referral_event_id: uuid.UUID
    activity_id: uuid.UUID
    provider_id: int
    canaries: list[str] = field(default_factory=list)


def canary_client(ward: int, tag: str, *, worker: User | None = None, code: str | None = None) -> Client:
    """A client whose every personal field carries `tag` (phone and ID digits are made from it too)."""
    number = int(hashlib.sha256(tag.encode()).hexdigest(), 16)
    digits = str(number % 10**8).zfill(8)
    body = "".join(ALPHABET[(number >> (5 * i)) % len(ALPHABET)] for i in range(6))
    client = Client(
        code=code or f"HN-{body[:4]}-{body[4:]}",
        ward_code=ward,
        worker_id=worker.id if worker else None,
        sex="female",
        birth_year=1994,
        migrant=True,
        registered_on=dt.date(2026, 1, 5),
        alias=f"{tag}-alias",
        full_name=f"Nguyễn Thị {tag}",
        phone=f"09{digits}",
        id_number=f"0012{digits}",
        date_of_birth=dt.date(1994, 4, 3),
        address=f"{tag} ngõ 5 phố Hàng Bạc",
        notes=f"{tag}-client-notes",
    )
    client.phone_bidx = blind_index("phone", client.phone or "")
    client.id_number_bidx = blind_index("id_number", client.id_number or "")
    client.name_birth_bidx = name_birth_year_index(client.full_name or "", client.birth_year)
    db.session.add(client)
    db.session.flush()
    db.session.add(
        Consent(
            client_id=client.id,
            given=True,
            purposes=["case_management", "referral"],
            data_categories=["identity", "contact_details", "case_notes"],
            given_on=dt.date(2026, 1, 5),
        )
    )
    return client


def populate_ward(ward: int, tag: str, *, worker: User | None = None) -> WardRecords:
    """One client with consent, need, contact, referral (with history), an activity and a provider."""
    client = canary_client(ward, tag, worker=worker)
    need = Need(
        client_id=client.id,
        category="legal",
        identified_on=dt.date(2026, 1, 6),
        eligible=True,
        eligibility_decided_on=dt.date(2026, 1, 6),
        eligibility_basis=f"{tag}-need-basis",
    )
    contact = Contact(
        client_id=client.id,
        ward_code=ward,
        worker_id=worker.id if worker else None,
        contact_date=dt.date(2026, 1, 7),
        channel="outreach",
        topics=["legal"],
        notes=f"{tag}-contact-notes",
        next_follow_up_on=dt.date(2026, 1, 20),
    )
    provider = Provider(name=f"Provider for ward {ward}", categories=["legal"], active=True)
    provider.wards = [db.session.get(Ward, ward)]  # type: ignore[list-item]
    db.session.add_all([need, contact, provider])
    db.session.flush()
    referral = Referral(
        client_id=client.id,
        ward_code=ward,
        category="legal",
        provider_id=provider.id,
        referred_on=dt.date(2026, 1, 8),
        status="received",
        status_changed_on=dt.date(2026, 1, 15),
        received_on=dt.date(2026, 1, 15),
        notes=f"{tag}-referral-notes",
    )
    db.session.add(referral)
    db.session.flush()
    event = ReferralEvent(referral_id=referral.id, status="received", occurred_on=dt.date(2026, 1, 15))
    activity = Activity(
        activity_date=dt.date(2026, 1, 9),
        ward_code=ward,
        kind="awareness_session",
        audience="residents",
        participants=12,
        topic="Phòng chống mua bán người",
        organiser="Hội Phụ nữ phường",
    )
    db.session.add_all([event, activity])
    db.session.commit()
    return WardRecords(
        ward=ward,
        tag=tag,
        client_id=client.id,
        client_code=client.code,
        consent_id=client.consents[0].id,
        need_id=need.id,
        contact_id=contact.id,
        referral_id=referral.id,
        referral_event_id=event.id,
        activity_id=activity.id,
        provider_id=provider.id,
        canaries=[
            tag,
            client.phone or "",
            client.id_number or "",
        ],
    )
