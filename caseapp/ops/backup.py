"""Backup, restore and verification of the whole database (README and docs/operations.md, "Backups").

`create_backup` takes a consistent snapshot while the app serves: SQLite's online backup API copies the
database in one step inside one read transaction; PostgreSQL counts the rows and runs pg_dump inside one
exported snapshot, so the manifest's counts describe exactly what the dump holds. `restore_backup` only
writes into an empty database. `verify_backup` restores into a scratch database and opens every encrypted
value with the current key ring.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, create_engine, select
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import NullPool

from caseapp.core.audit import record
from caseapp.core.crypto import checks
from caseapp.core.crypto.keyring import Keyring
from caseapp.core.crypto.models import CryptoKeyCheck
from caseapp.core.crypto.state import current_state
from caseapp.extensions import db
from caseapp.ops import contents, postgres
from caseapp.ops.archive import BackupError, Manifest, read_archive, write_archive

SQLITE_TIMEOUT_SECONDS = 30


class DatabaseNotEmpty(BackupError):
    """Restore writes only into an empty database, so it can never overwrite live data."""


class WrongDatabaseKind(BackupError):
    """A SQLite backup restores into SQLite, a PostgreSQL backup into PostgreSQL."""


@dataclass
class CheckReport:
    """A restored database compared with its manifest, and its encrypted values opened with the key ring."""

    rows: dict[str, int]
    count_mismatches: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    key_ring_problem: str = ""
    decryption: contents.DecryptionReport = field(default_factory=contents.DecryptionReport)

    @property
    def ok(self) -> bool:
        return not (
            self.count_mismatches or self.unknown_columns or self.key_ring_problem or self.decryption.failed
        )

    @property
    def values_opened(self) -> int:
        return sum(self.decryption.opened.values())


def create_backup(*, out: Path) -> Manifest:
    """Write a consistent snapshot of the app's database to `out` (a new file, mode 0600)."""
    if out.exists():
        raise BackupError(f"{out} already exists; choose a new file name")
    if not out.parent.is_dir():
        raise BackupError(f"{out.parent} is not a directory")
    engine = db.engine
    # the snapshot is written next to the backup, in a private directory, never in a shared /tmp
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".caseapp-backup-") as work:
        if engine.dialect.name == "sqlite":
            snapshot = Path(work) / "database.sqlite3"
            manifest = _sqlite_snapshot(_sqlite_path(engine.url), snapshot)
        elif engine.dialect.name == "postgresql":
            snapshot = Path(work) / "database.pgdump"
            manifest = _postgres_snapshot(engine, snapshot)
        else:
            raise WrongDatabaseKind(f"backups support SQLite and PostgreSQL, not {engine.dialect.name}")
        write_archive(out, snapshot, manifest)
    _audit("backup.created", manifest)
    return manifest


def _audit(action: str, manifest: Manifest, **details: object) -> None:
    """A copy of the whole database is audited like an export: what kind and how much, never a value."""
    facts = {
        "dialect": manifest.dialect,
        "tables": len(manifest.tables),
        "rows": sum(manifest.tables.values()),
    }
    record(action, entity_type="database", details={**facts, **details})
    db.session.commit()


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise WrongDatabaseKind("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database with the online backup API, in one step (one consistent read)."""
    src = sqlite3.connect(source, timeout=SQLITE_TIMEOUT_SECONDS)
    dst = sqlite3.connect(target, timeout=SQLITE_TIMEOUT_SECONDS)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _sqlite_snapshot(source: Path, snapshot: Path) -> Manifest:
    _sqlite_copy(source, snapshot)
    conn = sqlite3.connect(snapshot)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        conn.close()
    with _connect(f"sqlite:///{snapshot}") as snap:
        return _manifest(snap)


def _postgres_snapshot(engine: Engine, out: Path) -> Manifest:
    # counting and dumping inside one exported snapshot: the counts describe exactly what is dumped
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        snapshot_id = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
        manifest = _manifest(conn)
        postgres.dump(engine.url, out, snapshot=str(snapshot_id))
        conn.rollback()
    return manifest


def _manifest(conn: Connection) -> Manifest:
    return Manifest(
        dialect=conn.dialect.name,
        tables=contents.count_rows(conn),
        encrypted_values=contents.count_encrypted(conn),
        schema_revisions=contents.schema_revisions(conn),
    )


@contextmanager
def _connect(url: str | URL) -> Iterator[Connection]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def restore_backup(*, archive: Path) -> CheckReport:
    """Restore `archive` into the app's database, which must be empty; then check it like verify does."""
    engine = db.engine
    with tempfile.TemporaryDirectory(prefix="caseapp-restore-") as work:
        manifest, snapshot = read_archive(archive, Path(work))
        _refuse_other_kind(manifest, engine.dialect.name)
        with engine.connect() as conn:
            if not contents.is_empty(conn):
                raise DatabaseNotEmpty(
                    "the database is not empty: restore only writes into an empty database "
                    "(create a new one, point DATABASE_URL at it, and run the restore again)"
                )
        db.session.remove()
        engine.dispose()
        _load_snapshot(manifest, snapshot, engine.url)
    report = check_database(engine.url, manifest, current_state().keyring)
    # after the check, so its counts are the backup's own; the event extends the restored chain
    _audit("backup.restored", manifest, created_at=manifest.created_at, checked_ok=report.ok)
    return report


def _refuse_other_kind(manifest: Manifest, dialect: str) -> None:
    if manifest.dialect != dialect:
        raise WrongDatabaseKind(f"this is a {manifest.dialect} backup; it cannot be restored into {dialect}")


def _load_snapshot(manifest: Manifest, snapshot: Path, url: URL) -> None:
    if manifest.dialect == "sqlite":
        target = _sqlite_path(url)
        _refuse_non_empty_sqlite(target)
        _sqlite_copy(snapshot, target)
    else:
        postgres.restore(url, snapshot)


def _refuse_non_empty_sqlite(target: Path) -> None:
    # checked again just before writing: another process may have created tables meanwhile
    if not target.exists():
        return
    conn = sqlite3.connect(target, timeout=SQLITE_TIMEOUT_SECONDS)
    try:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    finally:
        conn.close()
    if tables:
        raise DatabaseNotEmpty(f"{target} is not empty: restore only writes into an empty database")


def verify_backup(*, archive: Path, scratch_url: str | None = None) -> CheckReport:
    """Restore `archive` into a scratch database and check counts and decryption with the current key ring."""
    ring = current_state().keyring
    with tempfile.TemporaryDirectory(prefix="caseapp-verify-") as work:
        manifest, snapshot = read_archive(archive, Path(work))
        if manifest.dialect == "sqlite":
            scratch = Path(work) / "scratch.sqlite3"
            _sqlite_copy(snapshot, scratch)
            return check_database(URL.create("sqlite", database=str(scratch)), manifest, ring)
        base = postgres.parse(scratch_url) if scratch_url else db.engine.url
        if base.get_backend_name() != "postgresql":
            raise WrongDatabaseKind("a PostgreSQL backup is verified on PostgreSQL: pass --scratch-url")
        if scratch_url:
            return _verify_into(base, snapshot, manifest, ring)
        with postgres.scratch_database(base) as url:
            return _verify_into(url, snapshot, manifest, ring)


def _verify_into(url: URL, snapshot: Path, manifest: Manifest, ring: Keyring) -> CheckReport:
    with _connect(postgres.psycopg_url(url)) as conn:
        if not contents.is_empty(conn):
            raise DatabaseNotEmpty("the scratch database must be empty")
    postgres.restore(url, snapshot)
    return check_database(url, manifest, ring)


def check_database(url: URL, manifest: Manifest, ring: Keyring) -> CheckReport:
    """Compare a restored database with its manifest and open every encrypted value with `ring`."""
    if url.get_backend_name() == "postgresql":
        url = postgres.psycopg_url(url)
    with _connect(url) as conn:
        report = CheckReport(rows=contents.count_rows(conn))
        report.count_mismatches = _mismatches("table", manifest.tables, report.rows)
        encrypted = contents.count_encrypted(conn)
        report.unknown_columns = sorted(set(manifest.encrypted_values) - set(encrypted))
        report.count_mismatches += _mismatches("encrypted column", manifest.encrypted_values, encrypted)
        report.key_ring_problem = _key_ring_problem(conn, ring)
        report.decryption = contents.check_decryption(conn, ring)
    if report.decryption.failed and not report.values_opened and not report.key_ring_problem:
        report.key_ring_problem = (
            "no encrypted value decrypts: the current key ring is probably the wrong one"
        )
    return report


def _mismatches(kind: str, expected: dict[str, int], found: dict[str, int]) -> list[str]:
    return [
        f"{kind} {name}: {expected.get(name, 'absent')} in the manifest, {found.get(name, 'absent')} restored"
        for name in sorted(set(expected) | set(found))
        if expected.get(name) != found.get(name)
    ]


def _key_ring_problem(conn: Connection, ring: Keyring) -> str:
    """Whether the key ring's check values agree with the keys the backed-up database used."""
    if CryptoKeyCheck.__tablename__ not in contents.table_names(conn):
        return ""
    expected = checks.expected_checks(ring)
    rows = conn.execute(select(CryptoKeyCheck.__table__)).mappings()
    wrong, missing = [], []
    for row in rows:
        key = (row["kind"], row["key_id"])
        if key in expected and expected[key] != row["check_value"]:
            wrong.append(f"{key[0]} key {key[1]}")
        elif key not in expected and row["retired_at"] is None:
            missing.append(f"{key[0]} key {key[1]}")
    if wrong:
        return f"the current key ring is NOT the one this backup was encrypted with ({', '.join(wrong)})"
    if missing:
        return f"the current key ring lacks keys this backup still uses ({', '.join(missing)})"
    return ""
