"""The key ring: one primary field key, older decrypt-only keys, and a separate blind-index key.

Keys on disk are 32 random bytes each; every key actually used is derived from them with HKDF and a label
naming its purpose, so no key ever serves two purposes (field encryption, key check, each blind index).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from caseapp.core.crypto.errors import KeyringError

FORMAT = "caseapp-keyring/1"
FORMAT_VERSION = 1
MASTER_KEY_BYTES = 32
BLIND_INDEX_PURPOSES = ("phone", "id_number", "name_birth_year")
# see docs/encryption.md: 10 bits keep 2..sqrt(R) expected collisions for 2 thousand to 1 million records
DEFAULT_BLIND_INDEX_BITS = 10
MIN_BLIND_INDEX_BITS = 8
MAX_BLIND_INDEX_BITS = 16
BLIND_INDEX_KEY_ID = 1


class KeyringFormatError(ValueError):
    """The key ring text is not a valid key ring (the message never quotes key material)."""


def derive(master: bytes, label: str, length: int = 32) -> bytes:
    """A key for one purpose, derived from a master key (HKDF-SHA256, label as info)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=f"caseapp/{label}".encode())
    return hkdf.derive(master)


def check_value(master: bytes, kind: str) -> str:
    """A key check value: tells a wrong key from a missing one without revealing the key."""
    return derive(master, f"key-check/v1/{kind}", 16).hex()


@dataclass(frozen=True)
class KeyringDocument:
    """The key ring as stored: master keys only, no derived state."""

    primary: int
    # repr=False: a key ring printed in a log, a traceback or a test failure must not show key material
    field_keys: Mapping[int, bytes] = field(repr=False)
    blind_index_key: bytes = field(repr=False)
    blind_index_bits: int = DEFAULT_BLIND_INDEX_BITS
    created_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))

    @classmethod
    def generate(cls) -> KeyringDocument:
        """A fresh key ring with key 1 as primary and a new blind-index key."""
        return cls(
            primary=1,
            field_keys={1: secrets.token_bytes(MASTER_KEY_BYTES)},
            blind_index_key=secrets.token_bytes(MASTER_KEY_BYTES),
        )

    def with_new_key(
        self, *, make_primary: bool, ids_in_use: Iterable[int] = ()
    ) -> tuple[KeyringDocument, int]:
        """A copy with one more field key, primary or decrypt-only for now.

        Its id is above every id in the ring and in `ids_in_use` (the database's, retired keys included), so
        an id is never given to a second key.
        """
        new_id = max([*self.field_keys, *ids_in_use]) + 1
        keys = {**self.field_keys, new_id: secrets.token_bytes(MASTER_KEY_BYTES)}
        return replace(self, field_keys=keys, primary=new_id if make_primary else self.primary), new_id

    def promoted(self, key_id: int) -> KeyringDocument:
        """A copy where `key_id` encrypts every new value."""
        if key_id not in self.field_keys:
            raise KeyringError(f"key {key_id} is not in the key ring")
        return replace(self, primary=key_id)

    def without(self, key_id: int) -> KeyringDocument:
        """A copy with key `key_id` destroyed; the primary key cannot be removed."""
        if key_id not in self.field_keys:
            raise KeyringError(f"key {key_id} is not in the key ring")
        if key_id == self.primary:
            raise KeyringError(f"key {key_id} is the primary key; rotate to a new key before retiring it")
        return replace(self, field_keys={k: v for k, v in self.field_keys.items() if k != key_id})

    def to_json(self) -> str:
        """The stored form: JSON with base64 keys."""
        data = {
            "format": FORMAT,
            "created_at": self.created_at,
            "primary": self.primary,
            "field_keys": {str(k): _b64(v) for k, v in sorted(self.field_keys.items())},
            "blind_index_key": _b64(self.blind_index_key),
            "blind_index_bits": self.blind_index_bits,
        }
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> KeyringDocument:
        """Parse and validate a stored key ring."""
        try:
            data = json.loads(text)
        except ValueError:
            raise KeyringFormatError("the key ring is not valid JSON") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise KeyringFormatError(f"the key ring's format is not {FORMAT!r}")
        return _parse_document(data)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: Any, what: str) -> bytes:
    try:
        raw = base64.b64decode(str(text), validate=True)
    except (binascii.Error, ValueError):
        raise KeyringFormatError(f"{what} is not valid base64") from None
    if len(raw) != MASTER_KEY_BYTES:
        raise KeyringFormatError(f"{what} must be {MASTER_KEY_BYTES} bytes")
    return raw


def _parse_document(data: dict[str, Any]) -> KeyringDocument:
    raw_keys = data.get("field_keys")
    if not isinstance(raw_keys, dict) or not raw_keys:
        raise KeyringFormatError("the key ring has no field_keys")
    try:
        keys = {int(k): _unb64(v, f"field key {k}") for k, v in raw_keys.items()}
        primary = int(data["primary"])
        bits = int(data.get("blind_index_bits", DEFAULT_BLIND_INDEX_BITS))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, KeyringFormatError):
            raise
        raise KeyringFormatError("the key ring's primary or key ids are not integers") from None
    if primary not in keys:
        raise KeyringFormatError(f"the primary key {primary} is not among the field keys")
    if any(not 0 < k < 2**32 for k in keys):
        raise KeyringFormatError("key ids must be between 1 and 2**32 - 1")
    if not MIN_BLIND_INDEX_BITS <= bits <= MAX_BLIND_INDEX_BITS:
        raise KeyringFormatError(f"blind_index_bits must be {MIN_BLIND_INDEX_BITS}..{MAX_BLIND_INDEX_BITS}")
    return KeyringDocument(
        primary=primary,
        field_keys=keys,
        blind_index_key=_unb64(data.get("blind_index_key"), "blind_index_key"),
        blind_index_bits=bits,
        created_at=str(data.get("created_at", "")),
    )


@dataclass(frozen=True)
class FieldKey:
    """One field-encryption key, ready to use: the AES-GCM object is built once and reused."""

    key_id: int
    aead: AESGCM
    header: bytes
    check_value: str


@dataclass(frozen=True)
class Keyring:
    """The runtime key ring derived from a document."""

    document: KeyringDocument
    primary: FieldKey
    field_keys: Mapping[int, FieldKey]
    blind_index_keys: Mapping[str, bytes] = field(repr=False)
    blind_index_check_value: str = ""

    @classmethod
    def from_document(cls, document: KeyringDocument) -> Keyring:
        """Derive every per-purpose key once."""
        from caseapp.core.crypto.envelope import header_for

        keys = {
            key_id: FieldKey(
                key_id=key_id,
                aead=AESGCM(derive(master, "field-encryption/v1")),
                header=header_for(key_id),
                check_value=check_value(master, "field"),
            )
            for key_id, master in document.field_keys.items()
        }
        blind = {p: derive(document.blind_index_key, f"blind-index/v1/{p}") for p in BLIND_INDEX_PURPOSES}
        return cls(
            document=document,
            primary=keys[document.primary],
            field_keys=keys,
            blind_index_keys=blind,
            blind_index_check_value=check_value(document.blind_index_key, "blind-index"),
        )

    @property
    def blind_index_bits(self) -> int:
        return self.document.blind_index_bits


def write_keyring_file(path: os.PathLike[str] | str, document: KeyringDocument) -> None:
    """Write the key ring atomically with mode 0600 (a temporary file renamed over the old one)."""
    target = os.fspath(path)
    directory = os.path.dirname(target) or "."
    os.makedirs(directory, mode=0o700, exist_ok=True)
    tmp = os.path.join(directory, f".{os.path.basename(target)}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(document.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
