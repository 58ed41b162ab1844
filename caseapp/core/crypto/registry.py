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
from collections.abc import Mapping

# table -> encrypted personal columns
PERSONAL_COLUMNS: Mapping[str, frozenset[str]] = {
    "clients": frozenset({"alias", "full_name", "phone", "id_number", "date_of_birth", "address", "notes"}),
    "needs": frozenset({"eligibility_basis"}),
    "contacts": frozenset({"notes"}),
    "referrals": frozenset({"notes"}),
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
