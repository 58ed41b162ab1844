"""What a database holds, counted generically: every table's rows and every encrypted column's values.

Tables and encrypted columns are discovered, not listed, so tables added by later features are covered:
rows are counted in every table the database has, and encrypted values are opened in every column that
the crypto registry's metadata marks as encrypted and that the database actually has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, func, inspect, select, table, text

from caseapp.core.crypto.envelope import open_sealed, pk_context
from caseapp.core.crypto.errors import DecryptionError
from caseapp.core.crypto.inventory import EncryptedColumn, encrypted_columns
from caseapp.core.crypto.keyring import Keyring
from caseapp.core.crypto.types import EncryptedType
from caseapp.extensions import db

BATCH_SIZE = 1000
# failures named in a report (ids only); the count covers them all
MAX_NAMED_FAILURES = 20


def table_names(conn: Connection) -> list[str]:
    """Every table of the database's default schema, sorted."""
    return sorted(inspect(conn).get_table_names())


def is_empty(conn: Connection) -> bool:
    """Whether the database has no table at all (in PostgreSQL: in any schema but the system ones)."""
    if conn.dialect.name == "postgresql":
        stmt = text(
            "SELECT count(*) FROM pg_catalog.pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        return conn.execute(stmt).scalar_one() == 0
    return not table_names(conn)


def count_rows(conn: Connection) -> dict[str, int]:
    """Rows in every table."""
    return {name: _count(conn, name) for name in table_names(conn)}


def _count(conn: Connection, name: str) -> int:
    return int(conn.execute(select(func.count()).select_from(table(name))).scalar_one())


def present_encrypted_columns(conn: Connection) -> list[EncryptedColumn]:
    """The encrypted columns of the code's metadata that exist in this database."""
    inspector = inspect(conn)
    names = set(inspector.get_table_names())
    present = []
    for column in encrypted_columns([db.metadata]):
        if column.table.name in names:
            columns = {c["name"] for c in inspector.get_columns(column.table.name)}
            if column.column.name in columns:
                present.append(column)
    return present


def count_encrypted(conn: Connection) -> dict[str, int]:
    """Stored (non-empty) values of every encrypted column."""
    return {
        c.name: conn.execute(select(func.count()).where(c.column.is_not(None))).scalar_one()
        for c in present_encrypted_columns(conn)
    }


def schema_revisions(conn: Connection) -> list[str]:
    """The Alembic revision(s) the database is at; empty before the first migration."""
    if "alembic_version" not in table_names(conn):
        return []
    return sorted(str(r) for r in conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


@dataclass
class DecryptionReport:
    """How many values of each encrypted column opened with the key ring, and which did not (ids only)."""

    opened: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, place: str) -> None:
        self.failed += 1
        if len(self.failures) < MAX_NAMED_FAILURES:
            self.failures.append(place)


def check_decryption(conn: Connection, ring: Keyring) -> DecryptionReport:
    """Open (authenticate and decode) every stored encrypted value with `ring`."""
    report = DecryptionReport()
    for column in present_encrypted_columns(conn):
        report.opened[column.name] = _open_column(conn, column, ring, report)
    return report


def _open_column(conn: Connection, column: EncryptedColumn, ring: Keyring, report: DecryptionReport) -> int:
    codec = column.column.type
    if not isinstance(codec, EncryptedType):  # encrypted_columns() only yields these
        raise TypeError(f"{column.name} is not an encrypted column")
    stmt = select(*column.primary_key, column.raw).where(column.column.is_not(None))
    opened = 0
    # streamed in batches: a large table is never held in memory at once
    for row in conn.execution_options(yield_per=BATCH_SIZE).execute(stmt):
        *pk, blob = tuple(row)
        try:
            codec.decode(open_sealed(ring, bytes(blob), column.context + pk_context(tuple(pk))))
            opened += 1
        except (DecryptionError, ValueError):  # ValueError: authentic bytes that are not a valid value
            report.fail(f"{column.name} row {','.join(str(v) for v in pk)}")
    return opened
