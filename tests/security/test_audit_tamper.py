"""Any edit, deletion or reordering of any audit row makes `flask audit verify` fail and name the row."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import text

from caseapp.core import audit
from caseapp.extensions import db
from tests.factories import make_user

EVENTS = 8  # two accounts created (audited), then six edits
# every stored column of an event, with a value to overwrite it by
TAMPERING = {
    "occurred_at": "'2020-01-01 00:00:00'",
    "user_id": "(SELECT max(id) FROM users)",
    "action": "'client.viewed'",
    "entity_type": "'contact'",
    "entity_id": "'someone-else'",
    "ward_code": "8",
    "request_id": "'0000000000000000'",
    "details": "'{}'",
    "prev_hash": "'" + "f" * 64 + "'",
}


@pytest.fixture
def chain(app: Flask) -> Iterator[None]:
    with app.app_context():
        user_id = make_user("worker").id
        make_user("worker")  # a second account, for rows to be reattributed to
        for n in range(EVENTS - 2):
            audit.record(
                "client.updated",
                user_id=user_id,
                entity_type="client",
                entity_id=f"id-{n}",
                ward_code=4,
                fields=["a"],
            )
        db.session.commit()
        assert audit.verify_chain().ok
        yield


def execute(sql: str) -> None:
    db.session.execute(text(sql))
    db.session.commit()


def broken_at() -> int | None:
    report = audit.verify_chain()
    assert not report.ok
    return report.broken_seq


def cli_names(app: Flask, seq: int) -> bool:
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code != 0 and f"BROKEN at event #{seq}" in result.output


@pytest.mark.parametrize("column", sorted(TAMPERING))
def test_editing_any_column_of_any_row_is_named(app: Flask, chain: None, column: str) -> None:
    for seq in range(1, EVENTS + 1):
        db.session.begin_nested()
        db.session.execute(text(f"UPDATE audit_events SET {column} = {TAMPERING[column]} WHERE seq = {seq}"))  # noqa: S608
        assert broken_at() == seq, (column, seq)
        db.session.rollback()
    db.session.rollback()
    assert audit.verify_chain().ok
    execute(f"UPDATE audit_events SET {column} = {TAMPERING[column]} WHERE seq = 3")  # noqa: S608
    assert cli_names(app, 3)


def test_rewriting_a_rows_hash_to_match_its_edit_is_named_by_the_next_row(app: Flask, chain: None) -> None:
    execute("UPDATE audit_events SET action = 'x' WHERE seq = 3")
    event = db.session.execute(db.select(audit.AuditEvent).where(audit.AuditEvent.seq == 3)).scalar_one()
    execute(f"UPDATE audit_events SET hash = '{audit.event_hash(event)}' WHERE seq = 3")  # noqa: S608
    assert broken_at() == 4  # its successor still links to the old hash


def test_deleting_any_row_is_named(app: Flask, chain: None) -> None:
    for seq in range(1, EVENTS + 1):
        db.session.begin_nested()
        db.session.execute(text(f"DELETE FROM audit_events WHERE seq = {seq}"))  # noqa: S608
        # the next row is named, or, for the last one, the missing end of the chain
        assert broken_at() == seq + 1 if seq < EVENTS else broken_at() == EVENTS
        db.session.rollback()
    db.session.rollback()
    assert audit.verify_chain().ok


def test_emptying_the_trail_is_found(app: Flask, chain: None) -> None:
    execute("DELETE FROM audit_events")
    report = audit.verify_chain()
    assert not report.ok and "missing" in report.problem


@pytest.mark.parametrize(("first", "second"), [(1, 2), (2, 5), (5, 6), (1, 6)])
def test_reordering_any_two_rows_is_named(app: Flask, chain: None, first: int, second: int) -> None:
    execute(f"UPDATE audit_events SET seq = -1 WHERE seq = {first}")  # noqa: S608
    execute(f"UPDATE audit_events SET seq = {first} WHERE seq = {second}")  # noqa: S608
    execute(f"UPDATE audit_events SET seq = {second} WHERE seq = -1")  # noqa: S608
    assert broken_at() == first
    assert cli_names(app, first)
