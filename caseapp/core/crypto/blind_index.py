"""Blind indexes: truncated HMAC-SHA256 of a normalised value, for exact-match lookup and duplicates only.

The truncation is deliberate: with 2^bits buckets and R records each index value is shared by about
R / 2^bits records, so even someone holding the blind-index key cannot tell which phone a row holds;
lookups fetch those few candidates and compare the decrypted values. See docs/encryption.md for the choice
of length. Never index a low-cardinality field alone: a name is always combined with a birth year.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from caseapp.core.crypto.keyring import MAX_BLIND_INDEX_BITS
from caseapp.core.crypto.state import current_state

# bytes stored per index value; the key ring's blind_index_bits (<= 16) says how many of them are used
BIDX_LEN = MAX_BLIND_INDEX_BITS // 8
PURPOSES = ("phone", "id_number", "name_birth_year")

_SPACES = re.compile(r"\s+")
_NOT_ID_CHARS = re.compile(r"[^0-9a-z]")
# Vietnamese đ/Đ is a letter of its own, not d plus a combining mark, so NFD leaves it alone
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold_diacritics(text: str) -> str:
    """Remove Vietnamese (and other) diacritics: 'Nguyễn Thị Đào' -> 'Nguyen Thi Dao'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def normalise_name(value: str) -> str:
    """NFC, lower case, diacritics folded, đ->d, spaces collapsed: ' Trần  THỊ Đào' -> 'tran thi dao'."""
    text = unicodedata.normalize("NFC", value).lower()
    return _SPACES.sub(" ", fold_diacritics(text)).strip()


def normalise_phone(value: str) -> str:
    """One canonical form: '0912 345 678', '84912345678', '(+84) 912.345.678' -> '+84912345678'."""
    text = unicodedata.normalize("NFKC", value).strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        raise ValueError("a phone number needs digits")
    if text.startswith("+") or text.startswith("(+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("84") and len(digits) >= 11:
        return "+" + digits
    if digits.startswith("0"):
        return "+84" + digits[1:]
    return "+84" + digits


def normalise_id_number(value: str) -> str:
    """ID card or passport: NFKC, lower case, letters and digits only ('0012 345-67' -> '001234567')."""
    text = _NOT_ID_CHARS.sub("", unicodedata.normalize("NFKC", value).lower())
    if not text:
        raise ValueError("an identity number needs letters or digits")
    return text


def _message(purpose: str, value: str, birth_year: int | None) -> bytes:
    if purpose == "name_birth_year":
        if birth_year is None:
            raise ValueError("a name is only indexed together with a birth year")
        name = normalise_name(value)
        if not name:
            raise ValueError("an empty name cannot be indexed")
        return f"{name}\x1f{birth_year:04d}".encode()
    if birth_year is not None:
        raise ValueError(f"birth_year is only used by the name_birth_year index, not {purpose!r}")
    if purpose == "phone":
        return normalise_phone(value).encode()
    if purpose == "id_number":
        return normalise_id_number(value).encode()
    raise ValueError(f"unknown blind-index purpose {purpose!r}; one of {', '.join(PURPOSES)}")


def blind_index(purpose: str, value: str, *, birth_year: int | None = None) -> bytes:
    """The blind index of `value` for `purpose` ('phone', 'id_number' or 'name_birth_year' + birth_year)."""
    message = _message(purpose, value, birth_year)  # validates the purpose first
    ring = current_state().keyring
    digest = hmac.new(ring.blind_index_keys[purpose], message, hashlib.sha256)
    return truncate(digest.digest(), ring.blind_index_bits)


def name_birth_year_index(name: str, birth_year: int) -> bytes:
    """The duplicate-detection index of a name together with a birth year."""
    return blind_index("name_birth_year", name, birth_year=birth_year)


def truncate(digest: bytes, bits: int) -> bytes:
    """The first `bits` bits of `digest`, in BIDX_LEN bytes (unused low bits zero)."""
    number = int.from_bytes(digest[:BIDX_LEN], "big")
    mask = ((1 << bits) - 1) << (BIDX_LEN * 8 - bits)
    return (number & mask).to_bytes(BIDX_LEN, "big")
