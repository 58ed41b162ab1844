"""Bulk writes inside the session's transaction: COPY on PostgreSQL, the driver's executemany on SQLite.

An ORM flush, or even Core's executemany, spends most of its time per row in Python; a million demo
contacts would take tens of minutes that way. Values are prepared exactly as SQLAlchemy would bind them
(the column types' bind processors), then handed to the driver in one call per batch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON, Table, insert
from sqlalchemy.engine import Connection

from caseapp.core.crypto.types import EncryptedType, Sealed


def write_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts keyed by column name, every column present) into `table`."""
    if not rows:
        return
    dialect = connection.dialect.name
    if dialect == "postgresql":
        _copy(connection, table, rows)
    elif dialect == "sqlite":
        _executemany(connection, table, rows)
    else:
        connection.execute(insert(table), list(rows))


def _copy(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    names = [c.name for c in table.columns]
    convert = [_pg_converter(c.type) for c in table.columns]
    plain = [n for n, f in zip(names, convert, strict=True) if f is None]
    special = [(n, f) for n, f in zip(names, convert, strict=True) if f is not None]
    order = plain + [n for n, _ in special]
    statement = f"COPY {table.name} ({', '.join(order)}) FROM STDIN"
    with _driver_connection(connection).cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = [row[n] for n in plain]
            values += [None if row[n] is None else f(row[n]) for n, f in special]
            copy.write_row(values)


def _pg_converter(type_: Any) -> Callable[[Any], Any] | None:
    """How a value of this column type is handed to COPY (None: as it is, psycopg adapts it)."""
    if isinstance(type_, EncryptedType):
        return _blob
    if isinstance(type_, JSON):
        return json.dumps
    return None


def _blob(value: Sealed) -> bytes:
    return value.blob


def _executemany(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    columns = list(table.columns)
    processors = [c.type.bind_processor(connection.dialect) for c in columns]
    placeholders = ", ".join("?" for _ in columns)
    names = ", ".join(c.name for c in columns)
    values = [
        tuple(p(row[c.name]) if p else row[c.name] for c, p in zip(columns, processors, strict=True))
        for row in rows
    ]
    raw = _driver_connection(connection)
    # table and column names come from our own metadata, never from input
    statement = f"INSERT INTO {table.name} ({names}) VALUES ({placeholders})"  # noqa: S608  # nosec B608
    raw.executemany(statement, values)


def _driver_connection(connection: Connection) -> Any:
    # the driver's own connection, in the transaction the session already began
    raw = connection.connection.driver_connection
    if raw is None:
        raise RuntimeError("no live database connection")
    return raw
