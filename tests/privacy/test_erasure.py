"""Erasure: personal data and blind indexes destroyed for good, statistics unchanged, the code kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from caseapp.clients.models import Client, Consent
from caseapp.core.audit import AuditEvent
from caseapp.core.crypto.registry import PERSONAL_COLUMNS
from caseapp.exports import files
from caseapp.exports.service import build
from caseapp.extensions import db
from caseapp.indicators import queries as indicators
from caseapp.indicators.periods import Period
from caseapp.privacy.erasure import NOT_CLIENT_DATA, erasable_tables
from caseapp.privacy.models import DataSubjectRequest
from caseapp.wards.services import set_cohort
from tests.conftest import using_postgres
from tests.factories import WARD_A, WARD_B
from tests.security.world import WardRecords, populate_ward

TAG = "CANARYER4"


@pytest.fixture
def wards(app: Flask) -> tuple[WardRecords, WardRecords]:
    with app.app_context():
        return populate_ward(WARD_A, TAG), populate_ward(WARD_B, "CANARYKEEP")


def sealed_values(client_id: object) -> list[bytes]:
    """The stored ciphertexts of every personal column linked to the client (blind indexes are too short)."""
    found = []
    for erasable in erasable_tables():
        columns = [erasable.table.c[name] for name in erasable.columns]
        for row in db.session.execute(select(*columns).where(erasable.link == client_id)):
            found += [bytes(value) for value in row if value is not None and len(bytes(value)) > 8]
    return found


def database_files(app: Flask) -> list[Path]:
    main = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    return [p for p in (main, Path(f"{main}-wal"), Path(f"{main}-shm")) if p.exists()]


def statistics() -> list[object]:
    january, year = Period.month(2026, 1), Period.full_year(2026)
    stated = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)  # the export states its time: the same for both
    january_file = files.write(build(2026, 1, 5, None, stated), "csv", stated)
    return [
        january_file,
        indicators.contact_total(january, [WARD_A]),
        indicators.contact_counts(january, [WARD_A, WARD_B]),
        indicators.indicator_total(january, [WARD_A]),
        indicators.indicator_by_category(january, [WARD_A]),
        indicators.monthly_series(year, [WARD_A]),
    ]


def erase(login_as, records: WardRecords, code: str | None = None):  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[records.ward])
    data = {"received_on": "2026-02-01", "confirm_code": code or records.client_code}
    return supervisor.post(f"/privacy/clients/{records.client_id}/erase", data=data)


def test_every_table_with_personal_data_can_be_erased_by_client() -> None:
    covered = {e.table.name for e in erasable_tables()}
    assert covered == set(PERSONAL_COLUMNS) - NOT_CLIENT_DATA


def test_erasure_destroys_personal_data_and_keeps_the_statistics(app: Flask, login_as, wards) -> None:  # type: ignore[no-untyped-def]
    target, other = wards
    with app.app_context():
        set_cohort(codes=[WARD_A, WARD_B], cohort=2025)  # so the export has ward figures to keep
        before = statistics()
        assert indicators.indicator_total(Period.month(2026, 1), [WARD_A]).denominator == 1
    assert erase(login_as, target).status_code == 302
    with app.app_context():
        assert statistics() == before
        client = db.session.get(Client, target.client_id)
        assert client.erased_at is not None and client.code == target.client_code
        for name in ("alias", "full_name", "phone", "id_number", "date_of_birth", "address", "notes"):
            assert getattr(client, name) is None, name
        assert (client.phone_bidx, client.id_number_bidx, client.name_birth_bidx) == (None, None, None)
        assert sealed_values(target.client_id) == []
        assert sealed_values(other.client_id) != []  # another client is untouched
        assert all(c.withdrawn_on is not None for c in Consent.query.filter_by(client_id=target.client_id))
        request = DataSubjectRequest.query.one()
        assert request.kind == "erasure" and "clients.phone" in request.fields
        event = AuditEvent.query.filter_by(action="privacy.erased").one()
        assert event.details["client_code"] == target.client_code and event.entity_id == str(target.client_id)
        for row in AuditEvent.query.all():  # the audit keeps the code, never a value
            assert TAG not in str(row.details) and TAG not in str(row.entity_id)


def test_nothing_can_be_read_back_from_the_database_files(app: Flask, login_as, wards) -> None:  # type: ignore[no-untyped-def]
    if using_postgres():
        pytest.skip("PostgreSQL's files belong to the server; erasure there runs VACUUM (see SECURITY.md)")
    target, other = wards
    with app.app_context():
        secrets = sealed_values(target.client_id)
        kept = sealed_values(other.client_id)
    assert len(secrets) == 10  # 7 client fields, need basis, contact and referral notes

    def on_disk(values: list[bytes]) -> list[bytes]:
        storage = b"".join(path.read_bytes() for path in database_files(app))
        return [value for value in values if value in storage]

    assert on_disk(secrets) == secrets  # before: every ciphertext is in the files
    erase(login_as, target)
    assert on_disk(secrets) == []  # after: none of them, in the file, the WAL or its index
    assert on_disk(kept) == kept


def test_erasure_needs_the_client_code_typed_and_happens_once(app: Flask, login_as, wards) -> None:  # type: ignore[no-untyped-def]
    target, _other = wards
    response = erase(login_as, target, code="HN-WRONG")
    assert response.status_code == 200 and "Đây không phải mã của đối tượng." in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.get(Client, target.client_id).erased_at is None
    erase(login_as, target)
    erase(login_as, target)
    with app.app_context():
        assert DataSubjectRequest.query.count() == 1
        assert AuditEvent.query.filter_by(action="privacy.erased").count() == 1


def test_an_erased_client_gives_no_copy(app: Flask, login_as, wards) -> None:  # type: ignore[no-untyped-def]
    target, _other = wards
    erase(login_as, target)
    supervisor = login_as("supervisor", wards=[WARD_A])
    response = supervisor.post(
        f"/privacy/clients/{target.client_id}/copy", data={"copy-received_on": "2026-02-02"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert DataSubjectRequest.query.filter_by(kind="access").count() == 0
