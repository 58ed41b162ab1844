"""After a full flow with canary values, no personal value is in an audit row, a log line or a URL."""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from caseapp.clients.models import Client
from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from caseapp.providers.models import Provider
from caseapp.wards.models import Ward
from tests.conftest import Staff, log_in
from tests.factories import WARD_A, programme_wards

TODAY = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
PHONE_DIGITS = "912345678"
CANARIES = {
    "alias": "CANARYLOGALIAS",
    "full_name": "Nguyễn Thị Canarylogname",
    "phone": f"0{PHONE_DIGITS[:3]} {PHONE_DIGITS[3:6]} {PHONE_DIGITS[6:]}",
    "id_number": "001299887766",
    "address": "CANARYLOGADDR ngõ 9 Hàng Bạc",
    "notes": "CANARYLOGNOTES chuyện riêng",
}
MORE = [
    "CANARYLOGBASIS",
    "CANARYLOGCONTACT",
    "CANARYLOGREFERRAL",
    "canarylog-typed-user",
    "CANARYLOG-pass-words",
]
# what must never appear, in any spelling the code might produce (phone in canonical +84 form too)
NEEDLES = [
    "canarylog",
    PHONE_DIGITS,
    CANARIES["id_number"],
    "hàng bạc",
    "chuyện riêng",
]


class Collector(logging.Handler):
    """Every log record, formatted with its arguments and any traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def logs() -> Iterator[Collector]:
    collector = Collector()
    loggers = [logging.getLogger(), logging.getLogger("caseapp"), logging.getLogger("werkzeug")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(collector)
        logger.setLevel(logging.DEBUG)
    yield collector
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(collector)
        logger.setLevel(level)


def found_in(text: str) -> list[str]:
    lowered = text.lower()
    return [needle for needle in NEEDLES if needle.lower() in lowered]


class Flow:
    """A browser that remembers every URL it asked for or was sent to."""

    def __init__(self, staff: Staff) -> None:
        self.staff = staff
        self.urls: list[str] = []

    def get(self, url: str):  # type: ignore[no-untyped-def]
        response = self.staff.get(url)
        self._note(url, response)
        return response

    def post(self, url: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
        response = self.staff.post(url, data=data)
        self._note(url, response)
        return response

    def _note(self, url: str, response) -> None:  # type: ignore[no-untyped-def]
        self.urls += [url, response.headers.get("Location", "")]
        assert response.status_code < 500, (url, response.status_code)


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def test_no_personal_value_in_audit_rows_logs_or_urls(app: Flask, login_as, logs: Collector) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        programme_wards()
        provider = Provider(name="Trung tâm trợ giúp pháp lý", categories=["legal"], active=True)
        provider.wards = [db.session.get(Ward, WARD_A)]  # type: ignore[list-item]
        db.session.add(provider)
        db.session.commit()
        provider_id = provider.id
    anonymous = app.test_client()
    log_in(anonymous, MORE[3], MORE[4])  # a password typed into the username box, say

    worker = Flow(login_as("worker", wards=[WARD_A]))
    registered = worker.post(
        "/clients/new",
        {
            **CANARIES,
            "birth_year": "1995",
            "sex": "female",
            "date_of_birth": "1995-05-06",
            "consent_given": "y",
            "purposes": ["case_management", "referral", "follow_up_contact"],
            "data_categories": ["identity", "contact_details", "health", "case_notes"],
            "consent_date": TODAY.isoformat(),
            "ward": str(WARD_A),
        },
    )
    assert registered.status_code == 302, registered.get_data(as_text=True)
    client_url = registered.headers["Location"]
    client_id = uuid.UUID(client_url.rstrip("/").split("/")[-1])
    worker.get(client_url)
    edit = worker.get(f"{client_url}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', edit).group(1)  # type: ignore[union-attr]
    worker.post(
        f"{client_url}/edit",
        {**CANARIES, "birth_year": "1995", "notes": "CANARYLOGNOTES sửa", "version": version},
    )
    worker.post("/clients/lookup", {"value": CANARIES["phone"]})
    worker.post(
        f"{client_url}/needs/new",
        {
            "category": "legal",
            "identified_on": TODAY.isoformat(),
            "eligible": "yes",
            "decided_on": TODAY.isoformat(),
            "eligibility_basis": MORE[0],
        },
    )
    worker.post(
        f"{client_url}/contacts/new",
        {
            "contact_date": TODAY.isoformat(),
            "ward": str(WARD_A),
            "channel": "outreach",
            "topics": ["legal"],
            "notes": MORE[1],
        },
    )
    worker.post(
        f"{client_url}/referrals/new",
        {
            "category": "legal",
            "provider": str(provider_id),
            "referred_on": TODAY.isoformat(),
            "notes": MORE[2],
        },
    )
    for listing in ("/clients/", "/contacts/", "/referrals/"):
        worker.get(listing)

    supervisor = Flow(login_as("supervisor", wards=[WARD_A]))
    with app.app_context():
        code = db.session.scalars(select(Client.code).where(Client.id == client_id)).one()
    supervisor.get(f"/audit/?client={code}")
    supervisor.post(f"/privacy/clients/{client_id}/copy", {"copy-received_on": TODAY.isoformat()})
    supervisor.get(f"/privacy/clients/{client_id}/correct")
    supervisor.post(
        f"/privacy/clients/{client_id}/erase", {"received_on": TODAY.isoformat(), "confirm_code": code}
    )
    new_password = "CANARYLOG-new-passphrase"
    worker.post(
        "/auth/password", {"current": "correct horse battery", "new": new_password, "confirm": new_password}
    )

    with app.app_context():
        actions = {e.action for e in AuditEvent.query.all()}
        # the flow really happened: registered, viewed, searched, contacted, referred, copied, erased
        expected = {
            "client.registered",
            "client.viewed",
            "client.searched",
            "contact.created",
            "referral.created",
            "privacy.access_copy",
            "privacy.erased",
            "user.password_changed",
            "login.failure",
        }
        assert expected <= actions, expected - actions
        rows = [
            " ".join(str(value) for value in row) for row in db.session.execute(select(AuditEvent.__table__))
        ]
    assert [(row, found_in(row)) for row in rows if found_in(row)] == []
    assert [(line, found_in(line)) for line in logs.lines if found_in(line)] == []
    assert logs.lines, "no log line was captured: the collector is not attached"
    assert [url for url in worker.urls + supervisor.urls if found_in(url)] == []
