"""What reaches the disk and the screen: no plaintext in the database files or a dump, and a damaged
value in a request gives the generic error page and an audit event that names ids only."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Blueprint, Flask
from sqlalchemy import select

from caseapp.core.access import public
from caseapp.core.audit import AuditEvent
from caseapp.core.crypto import blind_index
from caseapp.core.crypto.state import CryptoState
from caseapp.extensions import db
from tests.conftest import using_postgres
from tests.core.crypto_helpers import Memo, Person, crypto_db, raw_value, write_raw

__all__ = ["crypto_db"]

CANARIES = (
    "Canary Zqxv Nguyễn Thị Đào",
    "canary-alias-7f3k",
    "0988 776 655",
    "canary note: gặp ở chợ Đồng Xuân",
)
CANARY_DATE = dt.date(1911, 11, 11)


def write_canaries() -> None:
    name, alias, phone, note = CANARIES
    db.session.add(
        Person(
            full_name=name,
            alias=alias,
            phone=phone,
            phone_bidx=blind_index("phone", phone),
            date_of_birth=CANARY_DATE,
        )
    )
    db.session.add(Memo(notes=note))
    db.session.commit()


def needles() -> list[bytes]:
    texts = [*CANARIES, "Zqxv", "7f3k", "0988776655", "988776655", "Đồng Xuân", CANARY_DATE.isoformat()]
    found: list[bytes] = []
    for text in texts:
        found += [text.encode("utf-8"), text.encode("utf-16-le")]
    return found


@pytest.mark.skipif(using_postgres(), reason="the SQLite file check runs on SQLite")
def test_canaries_never_reach_the_sqlite_files(crypto_db: CryptoState, app: Flask) -> None:
    write_canaries()
    db.session.remove()
    database = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    files = [p for p in (database, Path(f"{database}-wal"), Path(f"{database}-journal")) if p.exists()]
    assert Path(f"{database}-wal") in files, "expected WAL mode"
    contents = b"".join(p.read_bytes() for p in files)
    assert len(contents) > 0
    for needle in needles():
        assert needle not in contents, needle


@pytest.mark.skipif(not using_postgres(), reason="pg_dump runs against the PostgreSQL test database")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_canaries_never_reach_a_pg_dump(crypto_db: CryptoState) -> None:
    write_canaries()
    db.session.remove()
    url = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://", 1)
    dump = subprocess.run(["pg_dump", "--no-owner", url], capture_output=True, check=True, timeout=120).stdout
    assert b"test_crypto_people" in dump
    for needle in needles():
        assert needle not in dump, needle


@pytest.fixture
def probe_app(make_app: Callable[..., Flask]) -> Flask:
    probe = make_app()
    bp = Blueprint("crypto_probe", __name__)

    @bp.route("/probe/person/<uuid:person_id>")
    @public
    def show(person_id: object) -> str:
        person = db.session.get_one(Person, person_id)
        return person.full_name or ""

    probe.register_blueprint(bp)
    return probe


def test_a_damaged_value_in_a_request_gives_the_generic_page_and_an_audit_event(
    crypto_db: CryptoState, probe_app: Flask
) -> None:
    good, bad = Person(full_name="Canary Hoa"), Person(full_name="Canary Lan")
    db.session.add_all([good, bad])
    db.session.commit()
    good_id, bad_id = good.id, bad.id
    write_raw(Person, "full_name", bad_id, raw_value(Person, "full_name", good_id))
    db.session.remove()
    client = probe_app.test_client()

    assert client.get(f"/probe/person/{good_id}").get_data(as_text=True) == "Canary Hoa"
    response = client.get(f"/probe/person/{bad_id}")

    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Canary" not in page
    assert "test_crypto_people" not in page and "authentication" not in page
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "crypto.decrypt_failed")).all()
    assert [(e.entity_type, e.entity_id, e.details) for e in events] == [
        ("test_crypto_people", str(bad_id), {"column": "full_name"})
    ]
