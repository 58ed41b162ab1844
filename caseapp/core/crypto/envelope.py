"""The stored format of one encrypted value: `version | key id | nonce | ciphertext+tag`.

    byte 0      format version (1)
    bytes 1-4   key id, unsigned big-endian
    bytes 5-16  96-bit random nonce
    bytes 17-   AES-256-GCM ciphertext followed by its 16-byte tag

The associated data is the 5-byte header followed by the value's place: table, column and primary key,
each length-prefixed, so a value copied to another row, column or table (or relabelled with another key id)
fails authentication.
"""

from __future__ import annotations

import os
import struct
import uuid
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag

from caseapp.core.crypto.errors import DecryptionError
from caseapp.core.crypto.keyring import Keyring

VERSION = 1
_HEADER = struct.Struct(">BI")
HEADER_LEN = _HEADER.size
NONCE_LEN = 12
TAG_LEN = 16
MIN_LEN = HEADER_LEN + NONCE_LEN + TAG_LEN
_BODY = HEADER_LEN + NONCE_LEN
_TAG_FAILED = "authentication failed (damaged, or moved from another row or column)"
# 1-based positions of the key id inside the stored bytes, for SQL substr() in `keys status`
KEY_ID_SQL_START = 2
KEY_ID_SQL_LENGTH = 4


def header_for(key_id: int) -> bytes:
    return _HEADER.pack(VERSION, key_id)


def key_id_of(blob: bytes) -> int:
    """The key id a stored value names (no authentication: for counting only)."""
    return int.from_bytes(blob[1:HEADER_LEN], "big")


def _prefixed(part: bytes) -> bytes:
    return len(part).to_bytes(2, "big") + part


def column_context(table: str, column: str) -> bytes:
    """The part of the associated data naming the column; computed once per mapped column."""
    return _prefixed(table.encode()) + _prefixed(column.encode())


def _pk_part(value: object) -> bytes:
    # typed so that the uuid 1 and the string "1" never bind the same place
    if isinstance(value, uuid.UUID):
        return b"u" + value.bytes
    if isinstance(value, int):
        return b"i" + str(value).encode()
    if isinstance(value, str):
        return b"s" + value.encode()
    raise TypeError(f"unsupported primary key type for encrypted rows: {type(value).__name__}")


def pk_context(pk: Sequence[object]) -> bytes:
    """The part of the associated data naming the row, from its primary key value(s)."""
    if len(pk) == 1:
        return _pk_part(pk[0])
    return b"".join(_prefixed(_pk_part(v)) for v in pk)


def row_context(column_ctx: bytes, pk: Sequence[object]) -> bytes:
    """Associated data (without the header) for one value at one row."""
    return column_ctx + pk_context(pk)


def seal(ring: Keyring, plaintext: bytes, context: bytes) -> bytes:
    """Encrypt under the primary key with a fresh random nonce."""
    key = ring.primary
    nonce = os.urandom(NONCE_LEN)
    return key.header + nonce + key.aead.encrypt(nonce, plaintext, key.header + context)


def open_sealed(ring: Keyring, blob: bytes, context: bytes) -> bytes:
    """Decrypt and authenticate a stored value; any failure is a DecryptionError, never partial output."""
    if len(blob) < MIN_LEN:
        raise DecryptionError("value truncated")
    if blob[0] != VERSION:
        raise DecryptionError(f"unknown format version {blob[0]}")
    key = ring.field_keys.get(int.from_bytes(blob[1:HEADER_LEN], "big"))
    if key is None:
        raise DecryptionError(f"unknown key id {key_id_of(blob)}")
    try:
        return key.aead.decrypt(blob[HEADER_LEN:_BODY], blob[_BODY:], blob[:HEADER_LEN] + context)
    except InvalidTag:
        raise DecryptionError(_TAG_FAILED) from None
