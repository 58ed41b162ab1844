"""Key operations behind `flask keys`: rotate, promote, re-encrypt, retire. Each is audited.

Re-encryption works in small committed batches with a compare-and-swap update, so it can run while the app
serves requests, and stopping it at any point loses nothing: the next run picks up the values still under an
old key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, LargeBinary, Row, and_, bindparam, select, tuple_, update

from caseapp.core.audit import record
from caseapp.core.crypto import checks
from caseapp.core.crypto.envelope import header_for, open_sealed, pk_context, seal
from caseapp.core.crypto.errors import DecryptionError, KeyringError, KeyStillInUse
from caseapp.core.crypto.inventory import EncryptedColumn, encrypted_columns, existing, total_by_key
from caseapp.core.crypto.keyring import Keyring, KeyringDocument, write_keyring_file
from caseapp.core.crypto.models import FIELD, CryptoKeyCheck
from caseapp.core.crypto.state import CryptoState
from caseapp.core.db import utcnow
from caseapp.extensions import db

DEFAULT_BATCH_SIZE = 500


def columns_of(state: CryptoState) -> list[EncryptedColumn]:
    """The encrypted columns this app knows (its metadata, plus any a test registered)."""
    return encrypted_columns(state.metadatas)


def save_document(state: CryptoState, document: KeyringDocument, output: Path | None) -> Path:
    """Persist a changed key ring: over the key ring file, or to `output` for a key ring held elsewhere."""
    if output is not None:
        if output.exists():
            raise KeyringError(f"{output} already exists; choose a new file name")
        write_keyring_file(output, document)
        return output
    if state.path is None:
        raise KeyringError(
            "the key ring comes from CASEAPP_KEYRING, which this command cannot change: pass --output FILE, "
            "then put that file's content into CASEAPP_KEYRING on every server"
        )
    write_keyring_file(state.path, document)
    return state.path


def _register(ring: Keyring) -> None:
    stored = {(row.kind, row.key_id): row for row in db.session.scalars(select(CryptoKeyCheck))}
    checks.register_missing(ring, stored)


def rotate(state: CryptoState, *, stage: bool = False, output: Path | None = None) -> tuple[int, Path]:
    """Add a new field key, primary at once unless `stage` (for servers that must all learn it first)."""
    previous = state.keyring.document.primary
    used = db.session.scalars(select(CryptoKeyCheck.key_id).where(CryptoKeyCheck.kind == FIELD))
    document, new_id = state.keyring.document.with_new_key(make_primary=not stage, ids_in_use=used)
    written = save_document(state, document, output)
    state.replace(document)
    _register(state.keyring)
    record(
        "crypto.key_added",
        entity_type="crypto_key",
        entity_id=new_id,
        details={"primary": not stage, "previous_primary": previous},
    )
    db.session.commit()
    return new_id, written


def promote(state: CryptoState, key_id: int, *, output: Path | None = None) -> Path:
    """Make an existing key the one that encrypts new values."""
    previous = state.keyring.document.primary
    document = state.keyring.document.promoted(key_id)
    written = save_document(state, document, output)
    state.replace(document)
    record(
        "crypto.key_promoted",
        entity_type="crypto_key",
        entity_id=key_id,
        details={"previous_primary": previous},
    )
    db.session.commit()
    return written


def retire(state: CryptoState, key_id: int, *, output: Path | None = None) -> Path:
    """Destroy a key no stored value uses any more; refused while one does."""
    state.keyring.document.without(key_id)  # refuses the primary key or an unknown one, before counting
    in_use = total_by_key(columns_of(state)).get(key_id, 0)
    if in_use:
        raise KeyStillInUse(key_id, in_use)
    document = state.keyring.document.without(key_id)
    written = save_document(state, document, output)
    state.replace(document)
    row = db.session.get(CryptoKeyCheck, (FIELD, key_id))
    if row is not None:
        row.retired_at = utcnow()
    record("crypto.key_retired", entity_type="crypto_key", entity_id=key_id)
    db.session.commit()
    return written


@dataclass
class ReencryptReport:
    """What a re-encryption run did; failures name rows by id only."""

    reencrypted: int = 0
    skipped_changed: int = 0
    failed: list[str] = field(default_factory=list)


def pending_count(state: CryptoState) -> int:
    """How many stored values are not under the primary key."""
    primary = state.keyring.primary.key_id
    return sum(n for key_id, n in total_by_key(columns_of(state)).items() if key_id != primary)


def reencrypt(
    state: CryptoState,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int], None] = lambda _n: None,
) -> ReencryptReport:
    """Re-encrypt every value not under the primary key, batch by batch, each batch its own transaction."""
    report = ReencryptReport()
    completed = False
    try:
        for column in existing(columns_of(state)):
            _reencrypt_column(state, column, batch_size, report, progress)
        completed = True
    finally:
        # committed batches stay done even if the run stops; the audit trail says how far it got
        db.session.rollback()
        record(
            "crypto.reencrypted",
            entity_type="crypto_key",
            entity_id=state.keyring.primary.key_id,
            details={
                "completed": completed,
                "values": report.reencrypted,
                "failed": len(report.failed),
                "skipped_changed": report.skipped_changed,
            },
        )
        db.session.commit()
    return report


def _reencrypt_column(
    state: CryptoState,
    column: EncryptedColumn,
    batch_size: int,
    report: ReencryptReport,
    progress: Callable[[int], None],
) -> None:
    after: tuple[Any, ...] | None = None
    while True:
        # the primary key as loaded now: a rotation by another process during the run is honoured
        ring = state.keyring
        rows = _batch_under_old_keys(column, header_for(ring.primary.key_id), after, batch_size)
        if not rows:
            return
        after = tuple(rows[-1])[:-1]
        params = [p for p in (_rewrap(ring, column, row, report) for row in rows) if p is not None]
        if params:
            result = cast(CursorResult[Any], db.session.execute(_swap_statement(column), params))
            updated = result.rowcount
            report.reencrypted += updated
            report.skipped_changed += len(params) - updated
        db.session.commit()
        progress(len(rows))


def _batch_under_old_keys(
    column: EncryptedColumn, primary_header: bytes, after: tuple[Any, ...] | None, batch_size: int
) -> list[Row[Any]]:
    pk = column.primary_key
    stmt = select(*pk, column.raw).where(column.column.is_not(None), column.header() != primary_header)
    if after is not None:
        stmt = stmt.where(tuple_(*pk) > tuple_(*after) if len(pk) > 1 else pk[0] > after[0])
    return list(db.session.execute(stmt.order_by(*pk).limit(batch_size)).all())


def _rewrap(
    ring: Keyring, column: EncryptedColumn, row: Row[Any], report: ReencryptReport
) -> dict[str, Any] | None:
    *pk_values, blob = tuple(row)
    context = column.context + pk_context(tuple(pk_values))
    try:
        plaintext = open_sealed(ring, bytes(blob), context)
    except DecryptionError:
        report.failed.append(f"{column.name} row {','.join(str(v) for v in pk_values)}")
        return None
    params = {f"pk_{i}": value for i, value in enumerate(pk_values)}
    return {**params, "old": bytes(blob), "new": seal(ring, plaintext, context)}


def _swap_statement(column: EncryptedColumn) -> Any:
    # compare-and-swap: a value the app rewrote since it was read is left alone (it is already re-sealed)
    conditions = [c == bindparam(f"pk_{i}") for i, c in enumerate(column.primary_key)]
    conditions.append(column.raw == bindparam("old", type_=LargeBinary))
    return (
        update(column.table)
        .where(and_(*conditions))
        .values({column.column.name: bindparam("new", type_=LargeBinary)})
        .execution_options(synchronize_session=False)
    )


def describe_keys(state: CryptoState, counts: dict[int, int]) -> Iterable[tuple[int, str, int]]:
    """(key id, role, values) for every key in the key ring or referenced by a stored value."""
    ring = state.keyring
    for key_id in sorted(set(ring.field_keys) | set(counts)):
        if key_id == ring.primary.key_id:
            role = "primary"
        elif key_id in ring.field_keys:
            role = "decrypt-only"
        else:
            role = "MISSING from the key ring"
        yield key_id, role, counts.get(key_id, 0)
