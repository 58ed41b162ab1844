"""Database conventions: UTC time, Python-side UUID keys, SQLite pragmas and write serialisation."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from caseapp.extensions import db


def utcnow() -> dt.datetime:
    """Timezone-aware now in UTC; stored naive-UTC for portability between SQLite and PostgreSQL."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_uuid() -> uuid.UUID:
    """Primary keys are made in Python before insert, so encrypted values can be bound to their row."""
    return uuid.uuid4()


def init_app(app: Flask) -> None:
    """Configure SQLite connections once the engine exists."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # we issue BEGIN ourselves (below); the driver's implicit transactions get in the way
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # SQLite has one writer; taking the write lock at BEGIN makes concurrent writers queue on the
        # busy timeout instead of failing with SQLITE_BUSY_SNAPSHOT when a read turns into a write,
        # and keeps the audit hash chain strictly serial. A page that only reads begins deferred, so
        # readers (a dashboard, every GET) do not queue behind each other: see prepare_write.
        connection.exec_driver_sql("BEGIN" if _reading() else "BEGIN IMMEDIATE")

    engine.dispose()


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UnpreparedWrite(RuntimeError):
    """A page that reads (GET) wrote without calling prepare_write first: a bug, found by any test."""

    def __init__(self) -> None:
        super().__init__("a GET request wrote without calling caseapp.core.db.prepare_write() first")


def _reading() -> bool:
    """In a GET request that has not announced a write: transactions begin deferred (SQLite)."""
    return has_request_context() and request.method in READ_METHODS and not g.get("db_writes", False)


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_unprepared_write(*args: Any) -> None:
    context = args[4]  # (conn, cursor, statement, parameters, context, executemany)
    # on both databases, so that a GET which forgets prepare_write fails every test that reaches it
    if context is not None and (context.isinsert or context.isupdate or context.isdelete) and _reading():
        raise UnpreparedWrite()


def prepare_write() -> None:
    """Call before each change a GET request makes (an audit of what it showed, a session touch).

    On SQLite the page's reads ran in a deferred transaction; writing from it could fail with
    SQLITE_BUSY_SNAPSHOT if another process committed meanwhile. So the read snapshot ends here and
    the next transaction takes the write lock at BEGIN, like a POST's; once it ends, reads go back
    to deferred. No-op outside GET requests.
    """
    if not _reading():
        return
    if db.session.new or db.session.dirty or db.session.deleted:
        raise UnpreparedWrite()
    if db.engine.dialect.name == "sqlite":
        db.session.commit()
    g.db_writes = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _write_done(_conn: Any) -> None:
    if has_request_context():
        g.pop("db_writes", None)
