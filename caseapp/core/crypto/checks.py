"""Start-up check of the key ring against the key check values stored in the database.

A key ring whose check values differ from the stored ones is the wrong key ring (a restored backup of another
installation, a mistyped secret); a stored, unretired key absent from the key ring is a missing key. Either
refuses to start, with a message that says which. Keys the database has not seen yet are registered.
"""

from __future__ import annotations

import logging

from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError, OperationalError

from caseapp.core.crypto.keyring import BLIND_INDEX_KEY_ID, Keyring
from caseapp.core.crypto.models import BLIND_INDEX, FIELD, CryptoKeyCheck
from caseapp.extensions import db
from config import ConfigError

log = logging.getLogger(__name__)


def expected_checks(ring: Keyring) -> dict[tuple[str, int], str]:
    """(kind, key id) -> check value, for every key in the key ring."""
    checks = {(FIELD, key.key_id): key.check_value for key in ring.field_keys.values()}
    checks[(BLIND_INDEX, BLIND_INDEX_KEY_ID)] = ring.blind_index_check_value
    return checks


def key_checks_table_exists() -> bool:
    return inspect(db.session.connection()).has_table(CryptoKeyCheck.__tablename__)


def verify(ring: Keyring, *, just_created: bool = False) -> dict[tuple[str, int], CryptoKeyCheck] | None:
    """Refuse a wrong or incomplete key ring; return the stored checks (None before the first migration)."""
    try:
        if not key_checks_table_exists():
            return None  # before the first migration; checked on the next start
        stored = {(row.kind, row.key_id): row for row in db.session.scalars(select(CryptoKeyCheck))}
    except OperationalError:
        log.warning("key ring not checked against the database: database unavailable")
        return None
    expected = expected_checks(ring)
    _refuse_mismatch(stored, expected, just_created)
    _refuse_missing(stored, expected)
    return stored


def _refuse_mismatch(
    stored: dict[tuple[str, int], CryptoKeyCheck], expected: dict[tuple[str, int], str], just_created: bool
) -> None:
    wrong = sorted(
        f"{kind} key {key_id}"
        for (kind, key_id), value in expected.items()
        if (kind, key_id) in stored and stored[(kind, key_id)].check_value != value
    )
    if not wrong:
        return
    hint = (
        "A new key ring was about to be generated, but this database was encrypted with another one: restore "
        "the backed-up keyring.json (or set CASEAPP_KEYRING) instead of starting with new keys."
        if just_created
        else "This is the WRONG key ring for this database (check values differ): set CASEAPP_KEYRING or "
        "CASEAPP_KEYRING_FILE to the key ring this database was encrypted with."
    )
    raise ConfigError(f"{hint} Mismatched: {', '.join(wrong)}.")


def _refuse_missing(
    stored: dict[tuple[str, int], CryptoKeyCheck], expected: dict[tuple[str, int], str]
) -> None:
    missing = sorted(
        f"{kind} key {key_id}"
        for (kind, key_id), row in stored.items()
        if row.retired_at is None and (kind, key_id) not in expected
    )
    if missing:
        raise ConfigError(
            f"The key ring lacks keys this database still uses ({', '.join(missing)}): restore the complete "
            "keyring.json from its backup, or set CASEAPP_KEYRING to it."
        )


def register_missing(ring: Keyring, stored: dict[tuple[str, int], CryptoKeyCheck]) -> None:
    """Store check values of keys the database has not seen, tolerating another process doing the same."""
    expected = expected_checks(ring)
    new = [
        (kind, key_id, value) for (kind, key_id), value in expected.items() if (kind, key_id) not in stored
    ]
    if not new:
        return
    for kind, key_id, value in new:
        db.session.add(CryptoKeyCheck(kind=kind, key_id=key_id, check_value=value))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another server registered them first; the next start compares them
