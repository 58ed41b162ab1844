"""The named failures of field encryption. Messages carry ids only, never a value or key material."""

from __future__ import annotations


class DecryptionError(Exception):
    """A stored value could not be decrypted: unknown format or key, damaged, or moved from its place."""

    def __init__(
        self,
        reason: str,
        *,
        table: str | None = None,
        column: str | None = None,
        row_id: str | None = None,
    ) -> None:
        self.reason = reason
        self.table = table
        self.column = column
        self.row_id = row_id
        place = f" ({table}.{column}, row {row_id})" if table else ""
        super().__init__(f"cannot decrypt stored value: {reason}{place}")

    def at(self, *, table: str, column: str, row_id: str) -> DecryptionError:
        """The same failure, located at a table, column and row (ids only)."""
        return DecryptionError(self.reason, table=table, column=column, row_id=row_id)


class KeyringError(Exception):
    """A key operation cannot go ahead (unknown key, primary key, key ring not writable)."""


class KeyStillInUse(KeyringError):
    """A key cannot be retired while stored values still reference it."""

    def __init__(self, key_id: int, count: int) -> None:
        self.key_id = key_id
        self.count = count
        super().__init__(
            f"key {key_id} still encrypts {count} stored values; run `flask keys reencrypt` first"
        )
