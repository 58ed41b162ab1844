"""Test-only encrypted tables on their own declarative base (never on the app's db.metadata, which the
migration drift test compares), created on the app's engine for a test and dropped after it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import Integer, LargeBinary, MetaData, Uuid, bindparam, select, type_coerce, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from caseapp.core.crypto import BIDX_LEN, EncryptedDate, EncryptedText
from caseapp.core.crypto.keyring import KeyringDocument
from caseapp.core.crypto.models import CryptoKeyCheck
from caseapp.core.crypto.state import CryptoState, current_state
from caseapp.core.db import new_uuid
from caseapp.extensions import db


class CryptoTestBase(DeclarativeBase):
    metadata = MetaData()


class Person(CryptoTestBase):
    __tablename__ = "test_crypto_people"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    full_name: Mapped[str | None] = mapped_column(EncryptedText)
    alias: Mapped[str | None] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    phone_bidx: Mapped[bytes | None] = mapped_column(LargeBinary(BIDX_LEN), index=True)
    date_of_birth: Mapped[dt.date | None] = mapped_column(EncryptedDate)
    birth_year: Mapped[int | None] = mapped_column(Integer)


class Memo(CryptoTestBase):
    __tablename__ = "test_crypto_memos"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    notes: Mapped[str | None] = mapped_column(EncryptedText)


def raw_value(model: type[CryptoTestBase], column: str, row_id: uuid.UUID) -> bytes:
    """The stored bytes of one value, read past the ORM."""
    table = Person.metadata.tables[model.__tablename__]
    stmt = select(type_coerce(table.c[column], LargeBinary)).where(table.c.id == row_id)
    return bytes(db.session.execute(stmt).scalar_one())


def write_raw(model: type[CryptoTestBase], column: str, row_id: uuid.UUID, blob: bytes | None) -> None:
    """Overwrite one stored value past the ORM (what someone with write access to the database could do)."""
    table = Person.metadata.tables[model.__tablename__]
    stmt = update(table).where(table.c.id == row_id).values({column: bindparam("blob", blob, LargeBinary)})
    db.session.execute(stmt)
    db.session.commit()


@pytest.fixture
def crypto_db(app: Flask) -> Iterator[CryptoState]:
    """An app context with the test tables created and known to the key commands."""
    with app.app_context():
        CryptoTestBase.metadata.create_all(db.engine)
        state = current_state()
        state.metadatas.append(CryptoTestBase.metadata)
        try:
            yield state
        finally:
            db.session.remove()
            state.metadatas.remove(CryptoTestBase.metadata)
            CryptoTestBase.metadata.drop_all(db.engine)
            db.session.remove()


@pytest.fixture
def restored_keyring(crypto_db: CryptoState) -> Iterator[CryptoState]:
    """Lets a test rotate and retire keys of the session's app, then puts the key ring back."""
    original: KeyringDocument = crypto_db.keyring.document
    yield crypto_db
    from caseapp.core.crypto.keyring import write_keyring_file

    db.session.remove()
    if crypto_db.path is not None:
        write_keyring_file(crypto_db.path, original)
    crypto_db.replace(original)
    for row in db.session.scalars(select(CryptoKeyCheck)):
        if row.kind == "field" and row.key_id not in original.field_keys:
            db.session.delete(row)
        else:
            row.retired_at = None
    db.session.commit()
