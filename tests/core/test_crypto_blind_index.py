"""Blind indexes: normalisation, truncation, purpose separation, and exact lookup among thousands."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import load_only

from caseapp.core.crypto import (
    BIDX_LEN,
    blind_index,
    name_birth_year_index,
    normalise_id_number,
    normalise_name,
    normalise_phone,
)
from caseapp.core.crypto.blind_index import truncate
from caseapp.core.crypto.state import CryptoState
from caseapp.extensions import db
from tests.core.crypto_helpers import Person, crypto_db

__all__ = ["crypto_db"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("(+84) 912-345-678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("912345678", "+84912345678"),
        ("０９１２３４５６７８", "+84912345678"),  # full-width digits from some phone keyboards
        ("024 3825 1234", "+842438251234"),
        ("+1 415 555 0100", "+14155550100"),
    ],
)
def test_phones_have_one_canonical_form(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Thị Đào", "nguyen thi dao"),
        ("  NGUYỄN   THỊ\tĐÀO ", "nguyen thi dao"),
        ("Nguye\u0302\u0303n Thi\u0323 Đào", "nguyen thi dao"),  # decomposed input
        ("Trần Văn Ơn Ưng", "tran van on ung"),
        ("ĐẶNG đức", "dang duc"),
    ],
)
def test_names_are_folded(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected


def test_identity_numbers_keep_letters_and_digits_only() -> None:
    assert normalise_id_number(" 001 203-004 567 ") == "001203004567"
    assert normalise_id_number("B1234567") == normalise_id_number("b 123 4567")
    with pytest.raises(ValueError):
        normalise_id_number(" - ")
    with pytest.raises(ValueError):
        normalise_phone("không có")


def test_equal_after_normalisation_means_equal_index(crypto_db: CryptoState) -> None:
    assert blind_index("phone", "0912 345 678") == blind_index("phone", "+84912345678")
    assert name_birth_year_index("Nguyễn Thị Đào", 1990) == name_birth_year_index("nguyen  thi dao", 1990)
    assert name_birth_year_index("Nguyễn Thị Đào", 1990) != name_birth_year_index("Nguyễn Thị Đào", 1991)


def test_indexes_are_truncated_and_separated_by_purpose(crypto_db: CryptoState) -> None:
    bits = crypto_db.keyring.blind_index_bits
    values = {blind_index("phone", f"09{n:08d}") for n in range(5000)}
    assert all(len(v) == BIDX_LEN for v in values)
    assert len(values) <= 2**bits
    assert all(int.from_bytes(v, "big") % 2 ** (BIDX_LEN * 8 - bits) == 0 for v in values)
    same_digits = [
        (blind_index("phone", f"{n:012d}"), blind_index("id_number", f"{n:012d}")) for n in range(64)
    ]
    assert sum(a == b for a, b in same_digits) < 8  # independent keys per purpose: chance agreement only


def test_truncate_keeps_the_leading_bits() -> None:
    assert truncate(b"\xff\xff\xff", 10) == b"\xff\xc0"
    assert truncate(b"\xab\xcd", 16) == b"\xab\xcd"


def test_a_name_is_never_indexed_alone(crypto_db: CryptoState) -> None:
    with pytest.raises(ValueError, match="birth year"):
        blind_index("name_birth_year", "Nguyễn Thị Đào")
    with pytest.raises(ValueError, match="only used by"):
        blind_index("phone", "0912345678", birth_year=1990)
    with pytest.raises(ValueError, match="unknown blind-index purpose"):
        blind_index("alias", "Hoa")


def test_lookup_by_phone_finds_the_client_among_thousands_without_decrypting_them(
    crypto_db: CryptoState, monkeypatch: pytest.MonkeyPatch
) -> None:
    phones = [f"09{n:08d}" for n in range(3000)]
    db.session.add_all(Person(phone=p, phone_bidx=blind_index("phone", p)) for p in phones)
    target = Person(full_name="Hoa", phone="0912 345 678", phone_bidx=blind_index("phone", "0912345678"))
    db.session.add(target)
    db.session.commit()
    target_id = target.id
    db.session.expunge_all()
    opened: list[bytes] = []
    real_open = crypto_db.open
    monkeypatch.setattr(crypto_db, "open", lambda blob, ctx: opened.append(blob) or real_open(blob, ctx))

    wanted = normalise_phone("+84 912 345 678")
    stmt = select(Person).where(Person.phone_bidx == blind_index("phone", wanted))
    candidates = db.session.scalars(stmt.options(load_only(Person.id, Person.phone))).all()
    found = [p for p in candidates if p.phone is not None and normalise_phone(p.phone) == wanted]

    assert [p.id for p in found] == [target_id]
    assert len(opened) == len(candidates) < 40  # about 3000 / 2**10 false candidates, never the whole table
