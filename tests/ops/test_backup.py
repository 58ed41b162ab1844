"""Backup, restore and verify: every count matches, every encrypted value decrypts, nothing overwritten."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import tarfile
import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from caseapp.clients.models import Client
from caseapp.contacts.models import Contact
from caseapp.core import audit
from caseapp.core.audit import AuditEvent, verify_chain
from caseapp.core.crypto import checks
from caseapp.core.crypto.keyring import KeyringDocument
from caseapp.core.crypto.state import current_state
from caseapp.extensions import db
from caseapp.ops import contents, postgres
from caseapp.ops.archive import MANIFEST_NAME, Manifest
from caseapp.ops.backup import DatabaseNotEmpty, restore_backup
from tests.conftest import using_postgres
from tests.factories import WARD_A, make_client, make_contact, make_need, make_referral, make_user
from tests.ops.serving import wait_for

CANARY_NAME = "Nguyễn Thị Canary-7Q"
CANARY_NOTE = "ghi chú canary-9Z"


def seed(app: Flask) -> None:
    """Casework rows with every kind of encrypted value."""
    with app.app_context():
        _seed()
        db.session.remove()


def _seed() -> None:
    worker = make_user("worker")
    for i in range(5):
        client = make_client(
            worker=worker,
            full_name=f"{CANARY_NAME} {i}",
            alias=f"Bí danh {i}",
            phone=f"09120000{i:02d}",
            date_of_birth=dt.date(1990, 1, i + 1),
            notes=CANARY_NOTE,
        )
        make_need(client, "health")
        make_contact(dt.date(2026, 1, 3), client=client, worker=worker, notes=f"{CANARY_NOTE} {i}")
        make_referral(client, "health", notes="chuyển gửi")
    make_contact(dt.date(2026, 1, 4), ward=WARD_A, notes="anonymous")


def run_cli(app: Flask, *args: str) -> tuple[int, str]:
    """A `flask` command on `app` (no other app context may be pushed: the CLI would use that app)."""
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def client_fields(app: Flask) -> list[tuple[object, ...]]:
    with app.app_context():
        clients = db.session.scalars(select(Client).order_by(Client.code)).all()
        rows = [(c.code, c.full_name, c.alias, c.phone, c.date_of_birth, c.notes) for c in clients]
        db.session.remove()
        return rows


def row_counts(app: Flask) -> dict[str, int]:
    with app.app_context(), db.engine.connect() as conn:
        return contents.count_rows(conn)


def test_round_trip_every_value_decrypts_and_every_count_matches(
    app: Flask, make_app, empty_database_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    seed(app)
    archive = tmp_path / "caseapp.backup"
    code, output = run_cli(app, "backup", "create", "--out", str(archive))
    assert code == 0, output
    assert archive.stat().st_mode & 0o777 == 0o600

    target = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    code, output = run_cli(target, "backup", "restore", str(archive))
    assert code == 0, output
    assert "every encrypted value decrypts" in output

    restored_counts, source_counts = row_counts(target), row_counts(app)
    # each database audited its own side: the backup in the source, the restore in the target
    assert restored_counts.pop("audit_events") == source_counts.pop("audit_events")
    assert restored_counts == source_counts
    restored = client_fields(target)
    assert restored == client_fields(app) and len(restored) == 5
    assert restored[0][1].startswith(CANARY_NAME)
    with target.app_context():
        notes = sorted(c.notes for c in db.session.scalars(select(Contact)) if c.notes)
        assert notes == sorted([f"{CANARY_NOTE} {i}" for i in range(5)] + ["anonymous"])
        assert verify_chain().ok
        restored_event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert restored_event is not None and restored_event.action == "backup.restored"
        assert restored_event.details["checked_ok"] is True
    with app.app_context():
        created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "backup.created")).one()
        assert created.details["rows"] > 0 and CANARY_NAME not in str(created.details)


def test_restore_into_a_non_empty_database_is_refused(app: Flask, tmp_path: Path) -> None:
    seed(app)
    archive = tmp_path / "b.backup"
    assert run_cli(app, "backup", "create", "--out", str(archive))[0] == 0
    before = row_counts(app)
    code, output = run_cli(app, "backup", "restore", str(archive))
    assert code != 0 and "not empty" in output
    assert row_counts(app) == before
    with app.app_context(), pytest.raises(DatabaseNotEmpty):
        restore_backup(archive=archive)


def test_verify_decrypts_with_the_current_key_ring_and_names_a_wrong_one(
    app: Flask, make_app, empty_database_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    seed(app)
    with app.app_context():  # what every production start does: store the key ring's check values
        checks.register_missing(current_state().keyring, {})
    archive = tmp_path / "v.backup"
    assert run_cli(app, "backup", "create", "--out", str(archive))[0] == 0
    code, output = run_cli(app, "backup", "verify", str(archive))
    assert code == 0, output
    # 5 clients x 5 personal fields, 6 contact notes, 5 referral notes
    assert "36 encrypted values decrypted" in output

    # another installation's key ring (an app on an empty database, so it starts)
    stranger = make_app(
        SQLALCHEMY_DATABASE_URI=empty_database_url,
        KEYRING_JSON=KeyringDocument.generate().to_json(),
    )
    code, output = run_cli(stranger, "backup", "verify", str(archive))
    assert code != 0
    assert "NOT the one this backup was encrypted with" in output and "cannot decrypt clients." in output
    assert CANARY_NAME not in output


def test_damaged_or_foreign_files_are_refused(app: Flask, tmp_path: Path) -> None:
    seed(app)
    archive = tmp_path / "d.backup"
    assert run_cli(app, "backup", "create", "--out", str(archive))[0] == 0
    damaged = tmp_path / "damaged.backup"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name != MANIFEST_NAME:
                # Flip every bit of one byte in the middle: zeroing the tail changed nothing when the
                # database file already ended in zero padding, and the test then passed a whole file.
                middle = len(data) // 2
                data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    code, output = run_cli(app, "backup", "verify", str(damaged))
    assert code != 0 and "damaged" in output
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup")
    code, output = run_cli(app, "backup", "verify", str(junk))
    assert code != 0 and "not a readable caseapp backup" in output
    code, output = run_cli(app, "backup", "create", "--out", str(archive))
    assert code != 0 and "already exists" in output


def test_backup_holds_no_key_and_no_personal_value_in_the_clear(app: Flask, tmp_path: Path) -> None:
    seed(app)
    archive = tmp_path / "k.backup"
    assert run_cli(app, "backup", "create", "--out", str(archive))[0] == 0
    with tarfile.open(archive, "r:gz") as tar:
        manifest = Manifest.from_json(tar.extractfile(MANIFEST_NAME).read().decode())  # type: ignore[union-attr]
        tar.extract(manifest.member, tmp_path, filter="data")
    snapshot = tmp_path / manifest.member
    raw = snapshot.read_bytes() if manifest.dialect == "sqlite" else _pg_dump_as_sql(snapshot)
    keyring = json.loads(Path(app.config["KEYRING_PATH"]).read_text())
    secrets = [*keyring["field_keys"].values(), keyring["blind_index_key"]]
    assert all(s.encode() not in raw for s in secrets)
    assert CANARY_NAME.encode() not in raw and CANARY_NOTE.encode() not in raw
    assert b"clients" in raw  # the scan did look at the data
    assert "no encryption keys" in manifest.note and CANARY_NAME not in manifest.to_json()


def _pg_dump_as_sql(dump: Path) -> bytes:
    command = [postgres.find_tool("pg_restore"), "--file=-", str(dump)]
    return subprocess.run(command, capture_output=True, check=True).stdout


def test_backup_taken_while_writes_go_on_is_a_consistent_snapshot(
    app: Flask, make_app, empty_database_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        worker_id = make_user("worker").id
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        with app.app_context():
            while not stop.is_set():
                contact = Contact(
                    ward_code=WARD_A,
                    worker_id=worker_id,
                    contact_date=dt.date(2026, 2, 1),
                    channel="office",
                    topics=[],
                    notes="đang ghi",
                )
                db.session.add(contact)
                db.session.flush()
                audit.record("ops_test.contact", entity_type="contact", entity_id=contact.id)
                db.session.commit()  # the contact and its audit event: one transaction
                written.append(1)
            db.session.remove()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        assert wait_for(lambda: len(written) >= 5, 30)
        archive = tmp_path / "live.backup"
        code, output = run_cli(app, "backup", "create", "--out", str(archive))
        after_backup = len(written)
        assert wait_for(lambda: len(written) > after_backup + 2, 30)  # writes went on past the snapshot
    finally:
        stop.set()
        writer.join(timeout=30)
    assert code == 0, output
    target = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    code, output = run_cli(target, "backup", "restore", str(archive))
    assert code == 0, output
    with target.app_context():
        contacts = db.session.scalar(select(db.func.count()).select_from(Contact))
        events = db.session.scalar(
            select(db.func.count()).select_from(AuditEvent).where(AuditEvent.action == "ops_test.contact")
        )
        assert contacts == events and 0 < contacts < len(written)
        assert verify_chain().ok


def test_a_backup_of_the_other_database_kind_is_refused(app: Flask, tmp_path: Path) -> None:
    from caseapp.ops.archive import write_archive

    other = "sqlite" if using_postgres() else "postgresql"
    snapshot = tmp_path / "snap"
    snapshot.write_bytes(b"x")
    archive = tmp_path / "other.backup"
    write_archive(
        archive, snapshot, Manifest(dialect=other, tables={}, encrypted_values={}, schema_revisions=[])
    )
    code, output = run_cli(app, "backup", "restore", str(archive))
    assert code != 0 and f"this is a {other} backup" in output
