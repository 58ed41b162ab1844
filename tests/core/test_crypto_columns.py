"""Encrypted columns through the ORM: plain attributes, sealed bytes bound to row, column and table."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, StatementError

from caseapp.core.crypto import DecryptionError
from caseapp.core.crypto.envelope import HEADER_LEN, header_for
from caseapp.core.crypto.state import CryptoState
from caseapp.extensions import db
from tests.core.crypto_helpers import Memo, Person, crypto_db, raw_value, write_raw
from tests.core.test_crypto_envelope import ROUND_TRIPS

__all__ = ["crypto_db"]


def add_person(**values: object) -> uuid.UUID:
    person = Person(**values)
    db.session.add(person)
    db.session.commit()
    person_id = person.id
    db.session.expunge_all()
    return person_id


def load(person_id: uuid.UUID) -> Person:
    db.session.expunge_all()
    return db.session.get_one(Person, person_id)


@pytest.mark.parametrize("text", ROUND_TRIPS, ids=range(len(ROUND_TRIPS)))
def test_attributes_round_trip_through_the_database(crypto_db: CryptoState, text: str) -> None:
    person_id = add_person(full_name=text, date_of_birth=dt.date(1999, 12, 31))
    person = load(person_id)
    assert person.full_name == text
    assert person.date_of_birth == dt.date(1999, 12, 31)
    assert raw_value(Person, "full_name", person_id)[:HEADER_LEN] == header_for(1)


def test_none_is_null_and_empty_string_is_encrypted(crypto_db: CryptoState) -> None:
    person_id = add_person(full_name="", alias=None)
    row = db.session.execute(select(Person.__table__.c.alias)).scalar_one()
    assert row is None
    assert len(raw_value(Person, "full_name", person_id)) == 33
    assert load(person_id).full_name == ""


def test_the_same_value_in_two_rows_is_stored_differently(crypto_db: CryptoState) -> None:
    first, second = add_person(full_name="Hoa"), add_person(full_name="Hoa")
    assert raw_value(Person, "full_name", first) != raw_value(Person, "full_name", second)


def test_attributes_stay_plain_after_flush_commit_and_refresh(crypto_db: CryptoState) -> None:
    person = Person(full_name="Lan", phone="0912 345 678")
    db.session.add(person)
    db.session.flush()
    assert person.full_name == "Lan"
    db.session.commit()  # expires the instance: the next read reloads and opens it
    assert person.phone == "0912 345 678"
    person.full_name = "Lan Anh"
    db.session.commit()
    db.session.refresh(person)
    assert (person.full_name, person.phone) == ("Lan Anh", "0912 345 678")


def test_an_update_reseals_only_the_changed_column(crypto_db: CryptoState) -> None:
    person_id = add_person(full_name="Mai", alias="M")
    alias_before = raw_value(Person, "alias", person_id)
    person = load(person_id)
    person.full_name = "Mai Anh"
    db.session.commit()
    assert raw_value(Person, "alias", person_id) == alias_before
    assert load(person_id).full_name == "Mai Anh"


def test_an_expired_row_can_be_changed_without_reading_it_first(crypto_db: CryptoState) -> None:
    """After a commit every attribute is expired, the primary key too: the seal takes it from the identity."""
    person = Person(full_name="Hằng", alias="H")
    db.session.add(person)
    db.session.commit()
    person.alias = "Hằng Nga"  # no attribute read since the commit
    db.session.commit()
    reloaded = load(db.session.scalars(select(Person.id)).one())
    assert (reloaded.full_name, reloaded.alias) == ("Hằng", "Hằng Nga")


def test_swapping_values_between_rows_fails(crypto_db: CryptoState) -> None:
    first, second = add_person(full_name="Hoa"), add_person(full_name="Lan")
    write_raw(Person, "full_name", second, raw_value(Person, "full_name", first))
    assert load(first).full_name == "Hoa"
    with pytest.raises(DecryptionError) as caught:
        load(second)
    assert (caught.value.table, caught.value.column, caught.value.row_id) == (
        "test_crypto_people",
        "full_name",
        str(second),
    )


def test_swapping_values_between_columns_fails(crypto_db: CryptoState) -> None:
    person_id = add_person(full_name="Hoa", alias="H")
    write_raw(Person, "alias", person_id, raw_value(Person, "full_name", person_id))
    with pytest.raises(DecryptionError, match=r"test_crypto_people\.alias"):
        load(person_id)


def test_copying_a_value_to_another_table_fails_even_with_the_same_id(crypto_db: CryptoState) -> None:
    person_id = add_person(full_name="Hoa")
    db.session.add(Memo(id=person_id, notes="placeholder"))
    db.session.commit()
    write_raw(Memo, "notes", person_id, raw_value(Person, "full_name", person_id))
    db.session.expunge_all()
    with pytest.raises(DecryptionError, match="test_crypto_memos"):
        db.session.get(Memo, person_id)


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[:-1],
        lambda blob: blob[:HEADER_LEN],
        lambda blob: blob[:20] + bytes([blob[20] ^ 0x04]) + blob[21:],
        lambda blob: header_for(99) + blob[HEADER_LEN:],
        lambda blob: b"\x07" + blob[1:],
        lambda blob: b"",
    ],
    ids=["truncated tag", "header only", "flipped bit", "unknown key id", "unknown version", "empty"],
)
def test_damaged_values_raise_the_typed_error(crypto_db: CryptoState, damage) -> None:  # type: ignore[no-untyped-def]
    person_id = add_person(full_name="Hoa")
    write_raw(Person, "full_name", person_id, damage(raw_value(Person, "full_name", person_id)))
    with pytest.raises(DecryptionError):
        load(person_id)


def test_plain_values_cannot_reach_an_encrypted_column_through_sql(crypto_db: CryptoState) -> None:
    table = Person.__table__
    with pytest.raises(StatementError, match="sealed at flush"):
        db.session.execute(insert(table).values(id=uuid.uuid4(), full_name="Hoa"))
    db.session.rollback()
    with pytest.raises(StatementError, match="sealed at flush"):
        db.session.execute(update(Person).values(full_name="Hoa"))
    db.session.rollback()
    with pytest.raises(StatementError, match="sealed at flush"):
        db.session.execute(select(Person).where(Person.full_name == "Hoa")).all()
    db.session.rollback()


def test_wrong_python_types_are_refused(crypto_db: CryptoState) -> None:
    db.session.add(Person(date_of_birth=dt.datetime(2000, 1, 1, 12, 0)))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"datetime\.date"):
        db.session.flush()
    db.session.rollback()
    db.session.add(Person(full_name=b"bytes"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes str"):
        db.session.flush()
    db.session.rollback()


def test_the_primary_key_of_an_encrypted_row_cannot_change(crypto_db: CryptoState) -> None:
    person = load(add_person(full_name="Hoa"))
    person.id = uuid.uuid4()
    with pytest.raises(ValueError, match="cannot change"):
        db.session.flush()
    db.session.rollback()


def test_a_primary_key_is_generated_before_sealing(crypto_db: CryptoState) -> None:
    person = Person(full_name="Hoa")
    assert person.id is None
    db.session.add(person)
    db.session.commit()
    assert isinstance(person.id, uuid.UUID)
    assert load(person.id).full_name == "Hoa"


def test_a_failed_flush_leaves_plain_values_on_the_objects(crypto_db: CryptoState) -> None:
    person_id = add_person(full_name="Hoa")
    duplicate = Person(id=person_id, full_name="Lan", date_of_birth=dt.date(2001, 2, 3))
    db.session.add(duplicate)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert (duplicate.full_name, duplicate.date_of_birth) == ("Lan", dt.date(2001, 2, 3))
