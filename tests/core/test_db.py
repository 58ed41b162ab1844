"""Transactions of pages that read: deferred on SQLite, and no write without prepare_write."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy import func, select

from caseapp.core import audit
from caseapp.core.audit import AuditEvent
from caseapp.core.db import UnpreparedWrite, prepare_write
from caseapp.extensions import db
from caseapp.wards.models import Ward


def _sqlite_file(app: Flask) -> str:
    uri = str(app.config["SQLALCHEMY_DATABASE_URI"])
    if not uri.startswith("sqlite:///"):
        pytest.skip("SQLite's locking: the PostgreSQL pass has no single writer lock")
    return uri.removeprefix("sqlite:///")


def _someone_else_can_write(path: str) -> bool:
    """Another process's view: can it take the write lock right now (no waiting)?"""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@contextmanager
def _request(app: Flask, method: str) -> Iterator[None]:
    with app.test_request_context("/", method=method):
        try:
            yield
        finally:
            db.session.remove()


def test_a_page_that_reads_does_not_hold_the_write_lock(app: Flask) -> None:
    path = _sqlite_file(app)
    with _request(app, "GET"):
        assert db.session.scalar(select(func.count()).select_from(Ward)) == 126
        # the transaction is open (a snapshot), yet writers elsewhere are not kept waiting
        assert db.session().in_transaction()
        assert _someone_else_can_write(path)
    with _request(app, "POST"):
        db.session.scalar(select(func.count()).select_from(Ward))
        # a form's transaction takes the lock at BEGIN, so its read cannot turn into a failed write
        assert not _someone_else_can_write(path)


def test_a_page_that_writes_takes_the_lock_for_the_write_only(app: Flask) -> None:
    path = _sqlite_file(app)
    with _request(app, "GET"):
        db.session.scalar(select(func.count()).select_from(Ward))
        audit.record("test.viewed", entity_type="ward")
        assert not _someone_else_can_write(path)
        db.session.commit()
        # after the audit's commit the page goes on reading without the lock
        db.session.scalar(select(func.count()).select_from(Ward))
        assert _someone_else_can_write(path)


def test_a_get_that_writes_without_preparing_fails_loudly(app: Flask) -> None:
    with _request(app, "GET"):
        db.session.add(AuditEvent(seq=1, action="x", prev_hash="0" * 64, hash="0" * 64, details={}))
        with pytest.raises(UnpreparedWrite):
            db.session.flush()
    with _request(app, "GET"):
        prepare_write()
        audit.record("test.viewed", entity_type="ward")
        db.session.commit()
        # prepare_write covers one transaction: the next write must announce itself again
        with pytest.raises(UnpreparedWrite):
            db.session.execute(Ward.__table__.update().values(active=True))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1
        db.session.remove()


def test_prepare_write_refuses_changes_made_before_it(app: Flask) -> None:
    with _request(app, "GET"):
        db.session.add(AuditEvent(seq=1, action="x", prev_hash="0" * 64, hash="0" * 64, details={}))
        with pytest.raises(UnpreparedWrite):
            prepare_write()
