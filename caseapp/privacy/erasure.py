"""Destroying a client's personal data: every declared personal column and blind index linked to the client.

What to erase is read from the one declaration of personal columns (caseapp.core.crypto.registry), so a new
table with personal data is erased too as long as it links to the client (tests/privacy checks that it does).
The rows themselves stay: contacts, needs and referrals keep their dates, wards and categories, so the
statistics of past months do not change, and the client row keeps its random code and statistics fields.
Afterwards the database file is rewritten so the old values cannot be read back from free pages or the WAL.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Column, Table, text, update

from caseapp.core.crypto.registry import BLIND_INDEX_SUFFIX, PERSONAL_COLUMNS
from caseapp.extensions import db

log = logging.getLogger(__name__)

CLIENT_TABLE = "clients"
# tables with encrypted columns that hold no client's data, so erasing a client never touches them
NOT_CLIENT_DATA = frozenset({"user_second_factors"})


@dataclass(frozen=True)
class ErasableTable:
    """A table holding a client's personal data: how its rows link to the client, which columns to clear."""

    table: Table
    link: Column[uuid.UUID]
    columns: tuple[str, ...]


def erasable_tables() -> Iterator[ErasableTable]:
    """Every declared personal table that links to a client, with its personal and blind-index columns."""
    for name, personal in sorted(PERSONAL_COLUMNS.items()):
        table = db.metadata.tables.get(name)
        if table is None or name in NOT_CLIENT_DATA:
            continue
        link = table.c.id if name == CLIENT_TABLE else table.c.get("client_id")
        if link is None:
            raise LookupError(f"{name} holds personal data but has no client_id to erase it by")
        blind = [c.name for c in table.c if c.name.endswith(BLIND_INDEX_SUFFIX)]
        yield ErasableTable(table, link, tuple(sorted(personal) + sorted(blind)))


def clear_personal_columns(client_id: uuid.UUID) -> list[str]:
    """NULL every personal column and blind index linked to the client; returns 'table.column' names."""
    if db.engine.dialect.name == "sqlite":
        # freed space in pages is zeroed as it is released (VACUUM below rewrites the file too)
        db.session.execute(text("PRAGMA secure_delete = ON"))
    cleared = []
    for erasable in erasable_tables():
        values = dict.fromkeys(erasable.columns)
        stmt = update(erasable.table).where(erasable.link == client_id).values(**values)
        db.session.execute(stmt.execution_options(synchronize_session=False))
        cleared += [f"{erasable.table.name}.{column}" for column in erasable.columns]
    return cleared


def scrub_storage() -> None:
    """Rewrite the database so erased values are not left in free pages, old row versions or the WAL."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            # WAL into the file and emptied, the file rebuilt from live rows only, the WAL emptied again
            for statement in ("PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"):
                cursor.execute(statement)
                busy = cursor.fetchone() if statement.startswith("PRAGMA") else None
                if busy and busy[0]:
                    log.warning(
                        "storage scrub: a reader kept the WAL busy; run `flask retention apply` again"
                    )
            cursor.close()
        finally:
            raw.close()
    elif engine.dialect.name == "postgresql":
        # old row versions become reusable space; see SECURITY.md for backups and VACUUM FULL
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for erasable in erasable_tables():
                conn.exec_driver_sql(f"VACUUM {erasable.table.name}")  # nosec B608 - names from the metadata
