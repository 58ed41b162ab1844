"""Database conventions: UTC time, Python-side UUID keys, SQLite pragmas and write serialisation."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Flask
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
        # SQLite has one writer; taking the write lock at BEGIN makes concurrent requests queue on the
        # busy timeout instead of failing with SQLITE_BUSY_SNAPSHOT when a read turns into a write,
        # and keeps the audit hash chain strictly serial
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    engine.dispose()
