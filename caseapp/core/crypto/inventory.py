"""Where encrypted values live, and how many each key encrypts (SQL on the stored header, no decryption)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, ColumnElement, LargeBinary, MetaData, Table, func, inspect, select, type_coerce

from caseapp.core.crypto.envelope import HEADER_LEN, KEY_ID_SQL_LENGTH, KEY_ID_SQL_START, column_context
from caseapp.core.crypto.types import EncryptedType
from caseapp.extensions import db


@dataclass(frozen=True)
class EncryptedColumn:
    """One encrypted column of one table, with the table's primary key."""

    table: Table
    column: Column[Any]

    @property
    def name(self) -> str:
        return f"{self.table.name}.{self.column.name}"

    @property
    def raw(self) -> ColumnElement[bytes]:
        """The stored bytes, read and compared without the column type's sealing rules."""
        return type_coerce(self.column, LargeBinary)

    @property
    def primary_key(self) -> tuple[Column[Any], ...]:
        return tuple(self.table.primary_key.columns)

    @property
    def context(self) -> bytes:
        return column_context(self.table.name, self.column.name)

    def header(self) -> ColumnElement[bytes]:
        """SQL for the stored value's version and key id (its first bytes)."""
        return type_coerce(func.substr(self.column, 1, HEADER_LEN), LargeBinary)

    def key_id_sql(self) -> ColumnElement[bytes]:
        return type_coerce(func.substr(self.column, KEY_ID_SQL_START, KEY_ID_SQL_LENGTH), LargeBinary)


def encrypted_columns(metadatas: Iterable[MetaData]) -> list[EncryptedColumn]:
    """Every column with an encrypted type, in a stable order."""
    found = [
        EncryptedColumn(table, column)
        for metadata in metadatas
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedType)
    ]
    return sorted(found, key=lambda c: c.name)


def existing(columns: Iterable[EncryptedColumn]) -> Iterator[EncryptedColumn]:
    """The columns whose table exists in the database (test tables come and go)."""
    # through the session's own connection: on SQLite a second connection would wait for our write lock
    names = set(inspect(db.session.connection()).get_table_names())
    return (c for c in columns if c.table.name in names)


def counts_by_key(column: EncryptedColumn) -> Counter[int]:
    """How many stored values of `column` each key id encrypts."""
    key_id = column.key_id_sql()
    stmt = select(key_id, func.count()).where(column.column.is_not(None)).group_by(key_id)
    return Counter({int.from_bytes(bytes(k), "big"): n for k, n in db.session.execute(stmt)})


def total_by_key(columns: Iterable[EncryptedColumn]) -> Counter[int]:
    """How many stored values each key id encrypts, over all `columns`."""
    total: Counter[int] = Counter()
    for column in existing(columns):
        total.update(counts_by_key(column))
    return total
