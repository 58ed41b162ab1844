"""Column types for encrypted personal data.

The column stores bytes. The model attribute holds the plain value: ORM events (orm.py) seal it with the
row's primary key at flush and open it on load, because a column type alone never sees the row. The bind
processor accepts only values sealed by those events, so a plain string can never reach an encrypted column,
whether through Core, a bulk update or a WHERE clause.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class Sealed:
    """A value sealed for one row during a flush; carries its plaintext to put back afterwards."""

    __slots__ = ("blob", "plaintext")

    def __init__(self, blob: bytes, plaintext: object) -> None:
        self.blob = blob
        self.plaintext = plaintext

    def __repr__(self) -> str:
        return "<Sealed value>"

    def __reduce__(self) -> Any:
        raise TypeError("sealed values are not picklable")


class EncryptedType(TypeDecorator[Any]):
    """Base of the encrypted column types: bytes in the database, a plain value on the model."""

    impl = LargeBinary
    cache_ok = True
    python_value_type: type = object

    def encode(self, value: Any) -> bytes:
        raise NotImplementedError

    def decode(self, data: bytes) -> Any:
        raise NotImplementedError

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        if isinstance(value, Sealed):
            return value.blob
        raise TypeError(
            f"{type(self).__name__} columns take values sealed at flush: assign the model attribute and "
            "let the session flush it; encrypted columns cannot be compared or written through SQL"
        )

    def process_literal_param(self, value: Any, dialect: Dialect) -> str:
        raise TypeError("encrypted values are never rendered into SQL text")

    @property
    def python_type(self) -> type:
        return self.python_value_type


class EncryptedText(EncryptedType):
    """Encrypted text; the attribute is a `str` (the empty string included)."""

    cache_ok = True
    python_value_type = str

    def encode(self, value: Any) -> bytes:
        if not isinstance(value, str):
            raise TypeError(f"EncryptedText takes str, not {type(value).__name__}")
        return value.encode("utf-8")

    def decode(self, data: bytes) -> str:
        return data.decode("utf-8")


class EncryptedDate(EncryptedType):
    """An encrypted calendar date; the attribute is a `datetime.date`."""

    cache_ok = True
    python_value_type = dt.date

    def encode(self, value: Any) -> bytes:
        # a datetime is a date subclass: refuse it rather than silently drop its time or timezone
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise TypeError(f"EncryptedDate takes datetime.date, not {type(value).__name__}")
        return value.isoformat().encode("ascii")

    def decode(self, data: bytes) -> dt.date:
        return dt.date.fromisoformat(data.decode("ascii"))
