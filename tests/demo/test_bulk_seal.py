"""core/crypto/bulk.py: values sealed outside the ORM read back through it and stay bound to their row."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import insert, select, update

from caseapp.contacts.models import Contact
from caseapp.core.crypto import DecryptionError
from caseapp.core.crypto.bulk import ColumnSealer
from caseapp.core.crypto.types import Sealed
from caseapp.extensions import db
from tests.contacts.helpers import TODAY
from tests.factories import WARD_A

pytestmark = pytest.mark.usefixtures("app_ctx")


def row(pk: uuid.UUID, notes: object) -> dict[str, object]:
    return {
        "id": pk,
        "ward_code": WARD_A,
        "contact_date": TODAY,
        "channel": "phone",
        "topics": [],
        "notes": notes,
        "follow_up_done": False,
        "demo": True,
        "created_at": None,
    }


def test_core_insert_of_sealed_values_reads_back_through_the_orm() -> None:
    seal = ColumnSealer(Contact.__table__.c.notes)
    first, second = uuid.uuid4(), uuid.uuid4()
    rows = [row(first, seal(first, "ghi chú một")), row(second, seal(second, None))]
    for r in rows:
        r.pop("created_at")
    db.session.execute(insert(Contact.__table__), rows)
    db.session.commit()
    assert db.session.get(Contact, first).notes == "ghi chú một"
    assert db.session.get(Contact, second).notes is None


def test_a_bulk_sealed_value_moved_to_another_row_fails_to_open() -> None:
    seal = ColumnSealer(Contact.__table__.c.notes)
    first, second = uuid.uuid4(), uuid.uuid4()
    rows = [row(first, seal(first, "bí mật")), row(second, seal(second, "khác"))]
    for r in rows:
        r.pop("created_at")
    db.session.execute(insert(Contact.__table__), rows)
    db.session.commit()
    table = Contact.__table__
    blob = db.session.execute(select(table.c.notes).where(table.c.id == first)).scalar_one()
    # copy the first row's stored bytes onto the second row, as someone with database access might
    db.session.execute(update(table).where(table.c.id == second).values(notes=Sealed(bytes(blob), None)))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Contact, first).notes == "bí mật"
    with pytest.raises(DecryptionError):
        db.session.get(Contact, second)


def test_only_encrypted_columns_take_a_sealer() -> None:
    with pytest.raises(TypeError):
        ColumnSealer(Contact.__table__.c.channel)
