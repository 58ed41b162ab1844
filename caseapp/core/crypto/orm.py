"""ORM events that bind every encrypted value to its row: seal at flush, open on load and refresh.

A column type never sees the row it belongs to, so sealing happens in mapper events, where the instance's
primary key is known (generated in Python first if needed). Every mapper with an encrypted column is
instrumented when it is configured, including mappers on other declarative bases (the tests use one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import InstanceState, Mapper, Session

from caseapp.core.crypto.envelope import column_context, pk_context
from caseapp.core.crypto.errors import DecryptionError
from caseapp.core.crypto.state import EXTENSION_KEY, CryptoState, current_state
from caseapp.core.crypto.types import EncryptedType, Sealed

MAPPING_KEY = "caseapp.crypto"
# the session.info entry listing instances sealed by a flush that has not finished yet
SEALED_KEY = "caseapp.crypto.sealed"


@dataclass(frozen=True)
class EncryptedAttribute:
    """One encrypted column of a mapped class."""

    key: str
    table: str
    column: str
    context: bytes
    codec: EncryptedType


@dataclass(frozen=True)
class EncryptedMapping:
    """What the events need to know about a mapped class with encrypted columns."""

    table: str
    attrs: tuple[EncryptedAttribute, ...]
    pk_keys: tuple[str, ...]
    pk_columns: tuple[Column[Any], ...]

    def pk_context(self, dict_: dict[str, Any]) -> bytes:
        """The row part of the associated data."""
        if len(self.pk_keys) == 1:
            value = dict_.get(self.pk_keys[0])
            if value is not None:
                return pk_context((value,))
        pk = tuple(dict_.get(key) for key in self.pk_keys)
        if None in pk:
            raise ValueError(f"a {self.table} row has no primary key to bind its encrypted values to")
        return pk_context(pk)

    def row_id(self, dict_: dict[str, Any]) -> str:
        return ",".join(str(dict_.get(key)) for key in self.pk_keys)


def mapping_for(mapper: Mapper[Any]) -> EncryptedMapping | None:
    """The encrypted columns of `mapper`, or None if it has none."""
    attrs = []
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if isinstance(column.type, EncryptedType) and isinstance(column, Column):
            table = str(getattr(column.table, "name", ""))
            attrs.append(
                EncryptedAttribute(
                    prop.key, table, column.name, column_context(table, column.name), column.type
                )
            )
    if not attrs:
        return None
    pk_columns = tuple(c for c in mapper.primary_key if isinstance(c, Column))
    pk_keys = tuple(mapper.get_property_by_column(c).key for c in pk_columns)
    return EncryptedMapping(str(getattr(mapper.local_table, "name", "")), tuple(attrs), pk_keys, pk_columns)


def open_row(state: InstanceState[Any], mapping: EncryptedMapping, crypto: CryptoState) -> None:
    """Replace every loaded ciphertext of the instance with its plaintext, in place."""
    dict_ = state.dict
    row: bytes | None = None
    for attr in mapping.attrs:
        raw = dict_.get(attr.key)
        if raw.__class__ is not bytes:  # plain already (opened before), None, or a driver's memoryview
            if not isinstance(raw, memoryview):
                continue
            raw = bytes(raw)
        if row is None:
            row = mapping.pk_context(dict_)
        try:
            dict_[attr.key] = attr.codec.decode(crypto.open(raw, attr.context + row))
        except DecryptionError as exc:
            raise exc.at(table=attr.table, column=attr.column, row_id=mapping.row_id(dict_)) from None
        except ValueError:  # UnicodeDecodeError included: authentic bytes that are not a valid value
            raise DecryptionError("decrypted bytes are not a valid value").at(
                table=attr.table, column=attr.column, row_id=mapping.row_id(dict_)
            ) from None


def seal_row(state: InstanceState[Any], mapping: EncryptedMapping, *, inserting: bool) -> None:
    """Seal every new or changed plain value of the instance for its row, in place."""
    dict_ = state.dict
    changed = state.committed_state
    if inserting:
        _ensure_primary_key(dict_, mapping)
    elif any(key in changed for key in mapping.pk_keys):
        raise ValueError(
            f"the primary key of a {mapping.table} row (which has encrypted columns) cannot change"
        )
    crypto: CryptoState | None = None
    keys = dict_
    if not inserting and state.identity is not None and any(dict_.get(k) is None for k in mapping.pk_keys):
        # an expired row (after a commit) changed without being read first: its key is in its identity
        keys = dict(zip(mapping.pk_keys, state.identity, strict=True))
    row = mapping.pk_context(keys)
    for attr in mapping.attrs:
        value = dict_.get(attr.key)
        if value is None or isinstance(value, Sealed) or (not inserting and attr.key not in changed):
            continue
        crypto = crypto or current_state()
        blob = crypto.seal(attr.codec.encode(value), attr.context + row)
        dict_[attr.key] = Sealed(blob, value)
    if crypto is not None and state.session is not None:
        state.session.info.setdefault(SEALED_KEY, set()).add(state)


def unseal_row(state: InstanceState[Any], mapping: EncryptedMapping) -> None:
    """After the statement ran, the attributes hold plain values again."""
    dict_ = state.dict
    for attr in mapping.attrs:
        value = dict_.get(attr.key)
        if isinstance(value, Sealed):
            dict_[attr.key] = value.plaintext
    if state.session is not None:
        state.session.info.get(SEALED_KEY, set()).discard(state)


def unseal_after_rollback(session: Session, _previous: Any) -> None:
    """After a failed flush, the objects the caller still holds read plain values again."""
    for state in session.info.pop(SEALED_KEY, set()):
        mapping = state.manager.info.get(MAPPING_KEY)
        if mapping is not None:
            unseal_row(state, mapping)


def _ensure_primary_key(dict_: dict[str, Any], mapping: EncryptedMapping) -> None:
    # the associated data needs the key before the INSERT, so a Python-side default is run here
    for key, column in zip(mapping.pk_keys, mapping.pk_columns, strict=True):
        if dict_.get(key) is not None:
            continue
        default: Any = column.default
        if default is None or not (default.is_callable or default.is_scalar):
            raise ValueError(
                f"{mapping.table} has encrypted columns, so its primary key must be generated in Python "
                "(e.g. default=caseapp.core.db.new_uuid) or set before flush"
            )
        dict_[key] = default.arg(None) if default.is_callable else default.arg


def _crypto_for(context: Any) -> CryptoState:
    # a Flask-SQLAlchemy session belongs to one app context, hence one app: look its key ring up once
    info = context.session.info
    crypto: CryptoState | None = info.get(EXTENSION_KEY)
    if crypto is None:
        crypto = info[EXTENSION_KEY] = current_state()
    return crypto


def instrument(mapper: Mapper[Any], _class: type) -> None:
    """Attach the seal/open events to a mapper that has encrypted columns."""
    mapping = mapping_for(mapper)
    if mapping is None:
        return
    mapper.class_manager.info[MAPPING_KEY] = mapping

    def on_load(state: InstanceState[Any], context: Any) -> None:
        open_row(state, mapping, _crypto_for(context))

    def on_refresh(state: InstanceState[Any], context: Any, _attrs: Iterable[str] | None) -> None:
        open_row(state, mapping, _crypto_for(context))

    def before_insert(_mapper: Mapper[Any], _conn: Connection, state: InstanceState[Any]) -> None:
        seal_row(state, mapping, inserting=True)

    def before_update(_mapper: Mapper[Any], _conn: Connection, state: InstanceState[Any]) -> None:
        seal_row(state, mapping, inserting=False)

    def after_write(_mapper: Mapper[Any], _conn: Connection, state: InstanceState[Any]) -> None:
        unseal_row(state, mapping)

    event.listen(mapper, "load", on_load, raw=True)
    event.listen(mapper, "refresh", on_refresh, raw=True)
    event.listen(mapper, "before_insert", before_insert, raw=True)
    event.listen(mapper, "before_update", before_update, raw=True)
    event.listen(mapper, "after_insert", after_write, raw=True)
    event.listen(mapper, "after_update", after_write, raw=True)


event.listen(Mapper, "mapper_configured", instrument)
event.listen(Session, "after_soft_rollback", unseal_after_rollback)
