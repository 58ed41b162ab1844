"""`flask keys`: status, rotate, re-encrypt (interrupted, resumed), retire, all audited."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import select

from caseapp.core.audit import AuditEvent
from caseapp.core.crypto import rotation
from caseapp.core.crypto.envelope import HEADER_LEN, header_for
from caseapp.core.crypto.models import CryptoKeyCheck
from caseapp.core.crypto.state import CryptoState
from caseapp.extensions import db
from tests.core.crypto_helpers import Memo, Person, crypto_db, raw_value, restored_keyring, write_raw

__all__ = ["crypto_db", "restored_keyring"]


def keys(app: Flask, *args: str) -> Result:
    db.session.remove()  # SQLite: no transaction of ours may hold the write lock while the command runs
    return app.test_cli_runner().invoke(args=["keys", *args])


def add_people(count: int) -> list[object]:
    people = [Person(full_name=f"Người {n}", phone=f"09{n:08d}") for n in range(count)]
    memos = [Memo(notes=f"ghi chú {n}*") for n in range(count // 2)]
    db.session.add_all([*people, *memos])
    db.session.commit()
    ids = [p.id for p in people]
    db.session.expunge_all()
    return ids


def headers() -> set[bytes]:
    found = set()
    for table in (Person.__table__, Memo.__table__):
        for column in ("full_name", "phone", "notes"):
            if column in table.c:
                values = db.session.scalars(select(table.c[column]).where(table.c[column].is_not(None)))
                found |= {bytes(v)[:HEADER_LEN] for v in values}
    return found


def everything_decrypts(count: int) -> None:
    db.session.expunge_all()
    people = db.session.scalars(select(Person)).all()
    assert sorted(p.full_name or "" for p in people) == sorted(f"Người {n}" for n in range(count))
    assert all((m.notes or "").endswith("*") for m in db.session.scalars(select(Memo)))


def actions() -> list[str]:
    stmt = select(AuditEvent.action).where(AuditEvent.action.like("crypto.%")).order_by(AuditEvent.seq)
    return list(db.session.scalars(stmt))


class Interrupted(Exception):
    pass


def test_rotate_reencrypt_half_resume_then_retire(app: Flask, restored_keyring: CryptoState) -> None:
    add_people(40)  # 40 names + 40 phones + 20 notes
    status = keys(app, "status")
    assert status.exit_code == 0 and "key   1  primary" in status.output and "100 values" in status.output

    rotated = keys(app, "rotate")
    assert rotated.exit_code == 0, rotated.output
    assert "key 2 is now primary" in rotated.output
    assert stat.S_IMODE(Path(str(restored_keyring.path)).stat().st_mode) == 0o600
    assert db.session.get(CryptoKeyCheck, ("field", 2)) is not None

    done: list[int] = []

    def stop_halfway(count: int) -> None:
        done.append(count)
        if sum(done) >= 50:
            raise Interrupted

    with pytest.raises(Interrupted):  # 20 notes, then a first batch of 30 names, then the run stops
        rotation.reencrypt(restored_keyring, batch_size=30, progress=stop_halfway)
    assert headers() == {header_for(1), header_for(2)}
    assert rotation.pending_count(restored_keyring) == 50
    everything_decrypts(40)

    refused = keys(app, "retire", "1")
    assert refused.exit_code != 0 and "key 1 still encrypts 50 stored values" in refused.output

    resumed = keys(app, "reencrypt", "--batch-size", "7")
    assert resumed.exit_code == 0, resumed.output
    assert "50 values re-encrypted under key 2" in resumed.output
    assert headers() == {header_for(2)}
    assert "key   1  decrypt-only               0 values" in keys(app, "status").output

    retired = keys(app, "retire", "1")
    assert retired.exit_code == 0, retired.output
    assert list(json.loads(Path(str(restored_keyring.path)).read_text())["field_keys"]) == ["2"]
    assert db.session.get_one(CryptoKeyCheck, ("field", 1)).retired_at is not None
    everything_decrypts(40)
    assert actions() == ["crypto.key_added", "crypto.reencrypted", "crypto.reencrypted", "crypto.key_retired"]


def test_new_values_use_the_new_primary_key(app: Flask, restored_keyring: CryptoState) -> None:
    assert keys(app, "rotate").exit_code == 0
    [person_id] = add_people(1)
    assert raw_value(Person, "full_name", person_id)[:HEADER_LEN] == header_for(2)


def test_a_staged_key_encrypts_nothing_until_promoted(app: Flask, restored_keyring: CryptoState) -> None:
    staged = keys(app, "rotate", "--stage")
    assert "key 2 added as decrypt-only" in staged.output
    [first] = add_people(1)
    assert raw_value(Person, "full_name", first)[:HEADER_LEN] == header_for(1)
    assert keys(app, "promote", "2").exit_code == 0
    [second] = add_people(1)
    assert raw_value(Person, "full_name", second)[:HEADER_LEN] == header_for(2)
    assert actions() == ["crypto.key_added", "crypto.key_promoted"]


def test_the_primary_or_an_unknown_key_cannot_be_retired(app: Flask, restored_keyring: CryptoState) -> None:
    primary = keys(app, "retire", "1")
    assert primary.exit_code != 0 and "is the primary key" in primary.output
    unknown = keys(app, "retire", "9")
    assert unknown.exit_code != 0 and "key 9 is not in the key ring" in unknown.output


def test_a_damaged_value_is_reported_by_id_and_left_alone(app: Flask, restored_keyring: CryptoState) -> None:
    first, second = add_people(2)
    write_raw(Person, "full_name", first, raw_value(Person, "full_name", second))
    keys(app, "rotate")
    result = keys(app, "reencrypt")
    assert result.exit_code != 0
    assert f"cannot decrypt test_crypto_people.full_name row {first}" in result.output
    assert "Người" not in result.output
    assert raw_value(Person, "full_name", first)[:HEADER_LEN] == header_for(1)


def test_a_value_rewritten_meanwhile_is_not_overwritten(restored_keyring: CryptoState) -> None:
    [person_id] = add_people(1)
    from caseapp.core.crypto.inventory import encrypted_columns

    column = next(c for c in encrypted_columns([Person.metadata]) if c.name == "test_crypto_people.full_name")
    stale = raw_value(Person, "full_name", person_id)
    person = db.session.get_one(Person, person_id)
    person.full_name = "đã sửa"
    db.session.commit()
    params = {"pk_0": person_id, "old": stale, "new": b"\x01" + b"\x00" * 40}
    assert db.session.execute(rotation._swap_statement(column), [params]).rowcount == 0  # type: ignore[attr-defined]
    db.session.commit()
    db.session.expunge_all()
    assert db.session.get_one(Person, person_id).full_name == "đã sửa"


def test_a_key_ring_held_in_the_environment_is_written_to_a_new_file(
    restored_keyring: CryptoState,
    make_app,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    db.session.remove()
    env_app = make_app(KEYRING_JSON=restored_keyring.keyring.document.to_json())
    target = tmp_path / "keyring-next.json"
    with env_app.app_context():  # the command runs in the app in context, here the one configured by env
        refused = keys(env_app, "rotate")
        assert refused.exit_code != 0 and "--output" in refused.output
        written = keys(env_app, "rotate", "--output", str(target))
        assert written.exit_code == 0, written.output
        assert keys(env_app, "rotate", "--output", str(target)).exit_code != 0  # never overwrites
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(json.loads(target.read_text())["field_keys"]) == ["1", "2"]
    assert restored_keyring.keyring.primary.key_id == 1  # the file-based key ring was not touched


def test_a_key_id_is_never_given_to_a_second_key(app: Flask, restored_keyring: CryptoState) -> None:
    assert "key 2 added" in keys(app, "rotate", "--stage").output
    assert keys(app, "retire", "2").exit_code == 0
    again = keys(app, "rotate")
    assert "key 3 is now primary" in again.output, again.output
    assert keys(app, "status").exit_code == 0
    assert repr(restored_keyring.keyring.document).count("field_keys") == 0  # no key material in a repr
