"""The personal-column registry agrees with the schema: declared means encrypted, and nothing that looks
personal is stored in the clear unless the allowlist says why."""

from __future__ import annotations

import uuid

from flask import Flask
from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table, Uuid

from caseapp.core.crypto import BIDX_LEN, EncryptedText
from caseapp.core.crypto.registry import NON_PERSONAL, PERSONAL_COLUMNS, looks_personal, violations
from caseapp.extensions import db


def test_the_application_schema_agrees_with_the_registry(app: Flask) -> None:
    assert violations([db.metadata]) == []


def test_every_allowlist_entry_gives_a_reason() -> None:
    assert all(len(reason) > 15 for reason in NON_PERSONAL.values())
    assert not set(NON_PERSONAL) & {f"{t}.{c}" for t, cols in PERSONAL_COLUMNS.items() for c in cols}


def sample_schema() -> MetaData:
    metadata = MetaData()
    Table(
        "people",
        metadata,
        Column("id", Uuid, primary_key=True, default=uuid.uuid4),
        Column("full_name", EncryptedText),  # declared and encrypted: fine
        Column("alias", String(50)),  # declared but plain
        Column("notes", EncryptedText),  # encrypted but not declared
        Column("home_address", String(200)),  # looks personal, plain, not allowlisted
        Column("phone_bidx", LargeBinary(BIDX_LEN)),  # a blind index: fine
        Column("name_bidx", String(10)),  # named like a blind index, but could hold anything
        Column("ward_code", Integer),  # not personal
        Column("display_name", String(50)),  # allowlisted below
    )
    return metadata


def test_each_kind_of_disagreement_is_reported() -> None:
    found = violations(
        [sample_schema()],
        personal={"people": frozenset({"full_name", "alias"}), "gone": frozenset({"x"})},
        non_personal={"people.display_name": "a staff member's name"},
    )
    assert found == [
        "gone.x is declared personal but does not exist",
        "people.alias is declared personal but is not an encrypted type",
        "people.notes is encrypted but not declared in PERSONAL_COLUMNS",
        "people.home_address looks personal but is plain: declare and encrypt it, or allowlist it",
        "people.name_bidx looks like a blind index but is not LargeBinary(BIDX_LEN)",
    ]


def test_personal_looking_names() -> None:
    for name in (
        "full_name",
        "alias",
        "phone",
        "mobile_no",
        "address",
        "notes",
        "id_number",
        "date_of_birth",
        "email",
        "cccd",
        "zalo_id",
    ):
        assert looks_personal(name), name
    for name in ("ward_code", "status", "created_at", "phone_bidx", "channel", "category"):
        assert not looks_personal(name), name
