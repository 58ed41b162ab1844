"""The stored format: fresh nonces, exact round trips, and one typed error for every damaged value."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseapp.core.crypto import DecryptionError
from caseapp.core.crypto.envelope import (
    HEADER_LEN,
    MIN_LEN,
    NONCE_LEN,
    column_context,
    header_for,
    open_sealed,
    row_context,
    seal,
)
from caseapp.core.crypto.keyring import Keyring, KeyringDocument

VIETNAMESE_LETTERS = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
ROUND_TRIPS = [
    "",
    "x" * 100_000,
    VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper(),
    "Nguyễn Thị Đào 🌸👩🏽‍⚕️ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "Ghi chú***",
    "*",
    "trailing space ",
    "nul\x00inside",
]


@pytest.fixture(scope="module")
def ring() -> Keyring:
    return Keyring.from_document(KeyringDocument.generate())


def ctx(row: str = "1", table: str = "clients", column: str = "full_name") -> bytes:
    return row_context(column_context(table, column), (row,))


@pytest.mark.parametrize("text", ROUND_TRIPS, ids=range(len(ROUND_TRIPS)))
def test_round_trips_exactly(ring: Keyring, text: str) -> None:
    blob = seal(ring, text.encode(), ctx())
    assert open_sealed(ring, blob, ctx()).decode() == text


def test_same_value_encrypted_twice_differs(ring: Keyring) -> None:
    first, second = seal(ring, b"Hoa", ctx()), seal(ring, b"Hoa", ctx())
    assert first != second
    assert first[HEADER_LEN : HEADER_LEN + NONCE_LEN] != second[HEADER_LEN : HEADER_LEN + NONCE_LEN]


def test_layout_is_version_key_id_nonce_ciphertext_tag(ring: Keyring) -> None:
    blob = seal(ring, b"abc", ctx())
    assert blob[:HEADER_LEN] == header_for(ring.primary.key_id) == b"\x01\x00\x00\x00\x01"
    assert len(blob) == HEADER_LEN + NONCE_LEN + 3 + 16


@pytest.mark.parametrize(
    "elsewhere",
    [ctx(row="2"), ctx(column="alias"), ctx(table="contacts"), ctx(table="clientsf", column="ull_name")],
    ids=["other row", "other column", "other table", "shifted boundary"],
)
def test_a_value_moved_elsewhere_fails(ring: Keyring, elsewhere: bytes) -> None:
    blob = seal(ring, b"Hoa", ctx())
    with pytest.raises(DecryptionError, match="authentication failed"):
        open_sealed(ring, blob, elsewhere)


def test_every_flipped_bit_fails(ring: Keyring) -> None:
    blob = seal(ring, "Đào".encode(), ctx())
    for position in range(len(blob) * 8):
        damaged = bytearray(blob)
        damaged[position // 8] ^= 1 << (position % 8)
        with pytest.raises(DecryptionError):
            open_sealed(ring, bytes(damaged), ctx())


def test_every_truncation_fails(ring: Keyring) -> None:
    blob = seal(ring, b"Hoa Mai", ctx())
    for length in range(len(blob)):
        with pytest.raises(DecryptionError):
            open_sealed(ring, blob[:length], ctx())
    with pytest.raises(DecryptionError, match="truncated"):
        open_sealed(ring, blob[: MIN_LEN - 1], ctx())


def test_unknown_key_id_and_version_fail(ring: Keyring) -> None:
    blob = seal(ring, b"Hoa", ctx())
    with pytest.raises(DecryptionError, match="unknown key id 7"):
        open_sealed(ring, header_for(7) + blob[HEADER_LEN:], ctx())
    with pytest.raises(DecryptionError, match="unknown format version 2"):
        open_sealed(ring, b"\x02" + blob[1:], ctx())


def test_another_key_ring_cannot_open(ring: Keyring) -> None:
    other = Keyring.from_document(KeyringDocument.generate())
    with pytest.raises(DecryptionError):
        open_sealed(other, seal(ring, b"Hoa", ctx()), ctx())


def test_the_error_never_carries_plaintext(ring: Keyring) -> None:
    blob = bytearray(seal(ring, b"secret-canary", ctx()))
    blob[-1] ^= 1
    with pytest.raises(DecryptionError) as caught:
        open_sealed(ring, bytes(blob), ctx())
    assert "canary" not in str(caught.value) and caught.value.__cause__ is None


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300), row=st.text(min_size=1, max_size=40))
def test_any_text_round_trips(text: str, row: str) -> None:
    ring = Keyring.from_document(KeyringDocument(1, {1: b"k" * 32}, b"b" * 32))
    assert open_sealed(ring, seal(ring, text.encode(), ctx(row)), ctx(row)).decode() == text
