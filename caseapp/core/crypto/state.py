"""Each application's key ring, loaded once in init_app and looked up through current_app.

Key state lives on the app (never in module globals) so two apps in one process, as in the tests, each use
their own key ring. A key ring read from a file is re-read when the file changes, so a running server picks
up `flask keys rotate` without a restart (docs/encryption.md covers key rings held in the environment).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import MetaData

from caseapp.core.crypto import envelope
from caseapp.core.crypto.errors import DecryptionError, KeyringError
from caseapp.core.crypto.keyring import Keyring, KeyringDocument, KeyringFormatError, write_keyring_file
from config import ConfigError

log = logging.getLogger(__name__)

EXTENSION_KEY = "caseapp.crypto"
# how often a server looks at the key ring file's modification time
RELOAD_CHECK_SECONDS = 5.0

BACKUP_WARNING = """
************************************************************************************************
*  caseapp: CREATED A NEW ENCRYPTION KEY RING at {path}
*  BACK IT UP NOW, somewhere other than the database backups. Without this file every encrypted
*  field in the database is unreadable, for good. Never commit it, never e-mail it.
************************************************************************************************
"""


class CryptoState:
    """One app's key ring (reloaded when its file changes) and the metadata holding encrypted tables."""

    def __init__(self, keyring: Keyring, path: Path | None, metadatas: list[MetaData]) -> None:
        self._keyring = keyring
        self.path = path
        self.metadatas = metadatas
        self._mtime = _mtime(path)
        self._checked_at = time.monotonic()
        self._lock = threading.Lock()

    @property
    def keyring(self) -> Keyring:
        if self.path is not None and time.monotonic() - self._checked_at > RELOAD_CHECK_SECONDS:
            self.reload_if_changed()
        return self._keyring

    def reload_if_changed(self) -> bool:
        """Re-read the key ring file if it changed; refuse a file whose blind-index key differs."""
        with self._lock:
            self._checked_at = time.monotonic()
            mtime = _mtime(self.path)
            if self.path is None or mtime == self._mtime:
                return False
            self._mtime = mtime
            try:
                document = KeyringDocument.from_json(self.path.read_text(encoding="utf-8"))
            except (OSError, KeyringFormatError) as exc:
                log.error("key ring file changed but cannot be read (%s); keeping the loaded key ring", exc)
                return False
            if document.blind_index_key != self._keyring.document.blind_index_key:
                log.error("key ring file changed its blind-index key; keeping the loaded key ring")
                return False
            self._keyring = Keyring.from_document(document)
            log.info("key ring reloaded: primary key %s", document.primary)
            return True

    def replace(self, document: KeyringDocument) -> None:
        """Use `document` from now on (after the CLI wrote it)."""
        with self._lock:
            self._keyring = Keyring.from_document(document)
            self._mtime = _mtime(self.path)

    def seal(self, plaintext: bytes, context: bytes) -> bytes:
        return envelope.seal(self.keyring, plaintext, context)

    def open(self, blob: bytes, context: bytes) -> bytes:
        # reading needs no fresh primary key: only a failure looks at the key ring file again
        try:
            return envelope.open_sealed(self._keyring, blob, context)
        except DecryptionError:
            # perhaps a value under a key another process just added: look at the file again, once
            if not self.reload_if_changed():
                raise
            return envelope.open_sealed(self._keyring, blob, context)


def _mtime(path: Path | None) -> tuple[int, int, int] | None:
    # the inode too: a rewrite is a rename of a new file, which a coarse clock might not tell apart
    try:
        info = path.stat() if path is not None else None
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_ino, info.st_size) if info is not None else None


def current_state() -> CryptoState:
    """The key ring of the app in context."""
    if not has_app_context():
        raise RuntimeError("encrypted columns are read and written inside an application context")
    state: CryptoState | None = current_app.extensions.get(EXTENSION_KEY)
    if state is None:
        raise RuntimeError("caseapp.core.crypto.init_app(app) has not run for this application")
    return state


def resolve_document(config: dict[str, Any]) -> tuple[KeyringDocument, Path | None, bool]:
    """The key ring from KEYRING_JSON or KEYRING_PATH; generated (not yet written) if allowed.

    Returns the document, the file it lives in (None when it came from the environment) and whether it
    was just generated and still has to be written.
    """
    text = config.get("KEYRING_JSON")
    if text:
        return _parse(text, "CASEAPP_KEYRING"), None, False
    path = Path(config.get("KEYRING_PATH") or "")
    if not config.get("KEYRING_PATH"):
        raise ConfigError(
            "KEYRING_PATH is empty. Set CASEAPP_KEYRING (JSON) or CASEAPP_KEYRING_FILE (a path)."
        )
    if path.exists():
        _warn_if_readable_by_others(path)
        return _parse(path.read_text(encoding="utf-8"), str(path)), path, False
    if config.get("KEYRING_CREATE_IF_MISSING"):
        return KeyringDocument.generate(), path, True
    raise ConfigError(
        f"No encryption key ring: {path} does not exist and CASEAPP_KEYRING is not set. Set CASEAPP_KEYRING "
        "to the key ring's JSON, or CASEAPP_KEYRING_FILE to its path (see docs/encryption.md). "
        "Production never generates keys by itself."
    )


def write_new_keyring(path: Path, document: KeyringDocument) -> None:
    """Write a just-generated key ring (0600) and warn loudly that it must be backed up."""
    if path.exists():
        raise KeyringError(f"{path} already exists; refusing to overwrite a key ring")
    write_keyring_file(path, document)
    print(BACKUP_WARNING.format(path=path), file=sys.stderr)


def _parse(text: str, where: str) -> KeyringDocument:
    try:
        return KeyringDocument.from_json(text)
    except KeyringFormatError as exc:
        raise ConfigError(
            f"The key ring in {where} is not valid: {exc}. Restore it from its backup."
        ) from None


def _warn_if_readable_by_others(path: Path) -> None:
    if os.name == "posix" and path.stat().st_mode & 0o077:
        log.warning("key ring file %s is readable by other users; run: chmod 600 %s", path, path)
