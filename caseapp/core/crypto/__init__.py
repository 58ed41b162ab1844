"""Field-level encryption of personal data (DESIGN.md §5, docs/encryption.md).

    full_name: Mapped[str | None] = mapped_column(EncryptedText)
    date_of_birth: Mapped[dt.date | None] = mapped_column(EncryptedDate)
    phone_bidx: Mapped[bytes | None] = mapped_column(LargeBinary(BIDX_LEN), index=True)
    client.phone_bidx = blind_index("phone", client.phone)

Model attributes read and write plain values; the database only ever sees sealed bytes bound to their row.
"""

from __future__ import annotations

import logging

from flask import Flask

from caseapp.core.crypto import orm as _orm  # noqa: F401 - registers the seal/open events on every mapper
from caseapp.core.crypto.blind_index import (
    BIDX_LEN,
    blind_index,
    fold_diacritics,
    name_birth_year_index,
    normalise_id_number,
    normalise_name,
    normalise_phone,
)
from caseapp.core.crypto.errors import DecryptionError, KeyringError, KeyStillInUse
from caseapp.core.crypto.types import EncryptedDate, EncryptedText, EncryptedType

__all__ = [
    "BIDX_LEN",
    "DecryptionError",
    "EncryptedDate",
    "EncryptedText",
    "EncryptedType",
    "KeyStillInUse",
    "KeyringError",
    "blind_index",
    "fold_diacritics",
    "init_app",
    "name_birth_year_index",
    "normalise_id_number",
    "normalise_name",
    "normalise_phone",
]

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Load (or, in development and tests, create) the key ring and check it against the database."""
    from caseapp.core.crypto import checks
    from caseapp.core.crypto.keyring import Keyring
    from caseapp.core.crypto.state import EXTENSION_KEY, CryptoState, resolve_document, write_new_keyring
    from caseapp.extensions import db
    from config import ConfigError

    document, path, created = resolve_document(app.config)
    ring = Keyring.from_document(document)
    with app.app_context():
        try:
            stored = checks.verify(ring, just_created=created)
        except ConfigError:
            db.session.remove()
            db.engine.dispose()  # this app will not start: release its database connections now
            raise
        if created and path is not None:
            write_new_keyring(path, document)
        if stored is not None:
            checks.register_missing(ring, stored)
    app.extensions[EXTENSION_KEY] = CryptoState(ring, path, [db.metadata])
    app.register_error_handler(DecryptionError, handle_decryption_error)


def handle_decryption_error(exc: DecryptionError) -> tuple[str, int]:
    """The generic error page, and an audit event naming the row (ids only, never a value)."""
    from caseapp.core.audit import record_now
    from caseapp.core.errors import handle_unexpected

    log.error("decryption failed: %s.%s row %s (%s)", exc.table, exc.column, exc.row_id, exc.reason)
    try:
        record_now(
            "crypto.decrypt_failed",
            entity_type=exc.table,
            entity_id=exc.row_id,
            details={"column": exc.column},
        )
    except Exception:  # the error page must render even if the audit write fails
        log.exception("could not audit a decryption failure")
    return handle_unexpected(exc)
