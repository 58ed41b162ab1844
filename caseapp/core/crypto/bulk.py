"""Sealing values outside the ORM, for bulk inserts through Core (demo data, large imports).

The mapper events seal values at flush; a Core `insert(table)` with thousands of row dicts never runs
them, and the column type refuses plain values. A ColumnSealer seals one column's values for given primary
keys, exactly as the events would, so the rows read back through the ORM like any other:

    alias = ColumnSealer(Client.__table__.c.alias)
    rows = [{"id": pk, "alias": alias(pk, "Hoa"), ...} for pk in ...]
    db.session.execute(insert(Client.__table__), rows)

The primary key must be the one the row is inserted with (generate UUIDs first): the value is bound to it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column

from caseapp.core.crypto.envelope import column_context, pk_context
from caseapp.core.crypto.state import CryptoState, current_state
from caseapp.core.crypto.types import EncryptedType, Sealed


class ColumnSealer:
    """Seals values of one encrypted column for rows identified by their primary key."""

    def __init__(self, column: Column[Any], state: CryptoState | None = None) -> None:
        if not isinstance(column.type, EncryptedType):
            raise TypeError(f"{column} is not an encrypted column")
        self._codec = column.type
        self._context = column_context(str(getattr(column.table, "name", "")), column.name)
        self._state = state or current_state()

    def __call__(self, pk: object, value: Any) -> Sealed | None:
        """The sealed value for the row with primary key `pk` (None stays None)."""
        if value is None:
            return None
        blob = self._state.seal(self._codec.encode(value), self._context + pk_context((pk,)))
        # no plaintext kept: these values are written and forgotten, never put back on an object
        return Sealed(blob, None)
