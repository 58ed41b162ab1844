"""The one declaration of which columns hold personal data.

Encryption, log redaction and the export allowlist read this module. tests/core/test_crypto_registry.py
walks the metadata and fails if a declared column is not encrypted, if an encrypted column is not declared,
or if a column whose name looks personal is stored in the clear without an entry in NON_PERSONAL.

Feature packages add their tables here together with their models, e.g.
    "clients": {"full_name", "alias", "phone", "id_number", "date_of_birth", "address", "notes"},
    "contacts": {"notes"}, "referrals": {"notes"}.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sqlalchemy import Column, LargeBinary, MetaData

from caseapp.core.crypto.blind_index import BIDX_LEN
from caseapp.core.crypto.types import EncryptedType

# table -> encrypted personal columns
PERSONAL_COLUMNS: Mapping[str, frozenset[str]] = {
    "clients": frozenset({"alias", "full_name", "phone", "id_number", "date_of_birth", "address", "notes"}),
    "needs": frozenset({"eligibility_basis"}),
    "contacts": frozenset({"notes"}),
    "referrals": frozenset({"notes"}),
    # not personal data but a credential: a stolen dump must not yield second-factor codes
    "user_second_factors": frozenset({"secret"}),
}

# "table.column" (or "table.*") -> why a column whose name looks personal is stored in the clear
NON_PERSONAL: Mapping[str, str] = {
    "wards.name": "official ward name from the General Statistics Office list: public",
    "users.username": "staff login name, not a client",
    "users.display_name": "staff name shown to colleagues, not a client",
    "login_failures.username_hash": "keyed hash of a staff login attempt; no plaintext",
    "login_failures.address_hash": "keyed hash of the requesting IP address; no plaintext",
    "providers.*": "service providers are organisations with public contact details",
    "clients.birth_year": "statistics field (age band); the full date of birth is encrypted",
    "activities.note": "a note on a public event (counted, nobody recorded); the form forbids personal data",
}

# names that suggest a person: any plain column matching this must be declared or allowlisted
PERSONAL_NAME_PATTERN = re.compile(
    r"name|alias|phone|mobile|address|note|id_number|identity|cccd|cmnd|passport|birth|dob|email|zalo|facebook"
)
# blind-index columns hold a truncated keyed hash, never the value; they may look personal by name
BLIND_INDEX_SUFFIX = "_bidx"


def is_personal(table: str, column: str) -> bool:
    """Whether `table.column` is declared personal (and therefore encrypted)."""
    return column in PERSONAL_COLUMNS.get(table, frozenset())


def allowlist_reason(table: str, column: str) -> str | None:
    """Why a personal-looking column may stay plain, or None if it may not."""
    return NON_PERSONAL.get(f"{table}.{column}") or NON_PERSONAL.get(f"{table}.*")


def looks_personal(column: str) -> bool:
    """Whether a column's name suggests personal data (blind-index columns excepted)."""
    return not column.endswith(BLIND_INDEX_SUFFIX) and bool(PERSONAL_NAME_PATTERN.search(column))


def violations(
    metadatas: Iterable[MetaData],
    personal: Mapping[str, frozenset[str]] = PERSONAL_COLUMNS,
    non_personal: Mapping[str, str] = NON_PERSONAL,
) -> list[str]:
    """Every disagreement between the declaration and the schema; empty when they agree."""
    tables = {table.name: table for metadata in metadatas for table in metadata.sorted_tables}
    problems = [_declared_problem(tables, t, c) for t, cols in sorted(personal.items()) for c in sorted(cols)]
    for table in tables.values():
        for column in table.columns:
            problems.append(_column_problem(table.name, column, personal, non_personal))
    return [p for p in problems if p]


def _declared_problem(tables: Mapping[str, object], table: str, column: str) -> str:
    found = tables.get(table)
    columns = getattr(found, "columns", None)
    if columns is None or column not in columns:
        return f"{table}.{column} is declared personal but does not exist"
    if not isinstance(columns[column].type, EncryptedType):
        return f"{table}.{column} is declared personal but is not an encrypted type"
    return ""


def _column_problem(
    table: str,
    column: Column[object],
    personal: Mapping[str, frozenset[str]],
    non_personal: Mapping[str, str],
) -> str:
    name = f"{table}.{column.name}"
    declared = column.name in personal.get(table, frozenset())
    if isinstance(column.type, EncryptedType):
        return "" if declared else f"{name} is encrypted but not declared in PERSONAL_COLUMNS"
    if column.name.endswith(BLIND_INDEX_SUFFIX):
        ok = isinstance(column.type, LargeBinary) and column.type.length == BIDX_LEN
        return "" if ok else f"{name} looks like a blind index but is not LargeBinary(BIDX_LEN)"
    if (
        looks_personal(column.name)
        and not declared
        and not (non_personal.get(name) or non_personal.get(f"{table}.*"))
    ):
        return f"{name} looks personal but is plain: declare and encrypt it, or allowlist it"
    return ""
