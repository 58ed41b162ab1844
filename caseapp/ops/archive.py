"""The backup file: a tar.gz holding the database snapshot and a manifest of what it must contain.

    manifest.json       format, dialect, schema revision, row count of every table, count of every
                        encrypted column's values, and the snapshot's SHA-256; never a key or a value
    database.sqlite3    SQLite: a copy made with SQLite's online backup API
    database.pgdump     PostgreSQL: `pg_dump --format=custom` (restorable by hand with pg_restore)

A backup holds no encryption keys, by design: without the key ring, backed up separately, it is unreadable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tarfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "caseapp-backup/1"
MANIFEST_NAME = "manifest.json"
MEMBER_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
KEY_NOTE = (
    "This backup holds no encryption keys. Restoring it needs the key ring (keyring.json or "
    "CASEAPP_KEYRING) that was backed up separately; without it the personal data cannot be read."
)


class BackupError(Exception):
    """A backup, restore or verification cannot go ahead; the message says why and what to do."""


class ArchiveDamaged(BackupError):
    """The file is not a caseapp backup, or its snapshot does not match its checksum."""


@dataclass
class Manifest:
    """What a backup contains, written at snapshot time and checked on restore and verify."""

    dialect: str
    tables: dict[str, int]
    encrypted_values: dict[str, int]
    schema_revisions: list[str]
    sha256: str = ""
    created_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    format: str = FORMAT
    note: str = KEY_NOTE

    @property
    def member(self) -> str:
        return MEMBER_NAMES[self.dialect]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            data: dict[str, Any] = json.loads(text)
            if data.get("format") != FORMAT or data.get("dialect") not in MEMBER_NAMES:
                raise ValueError("unknown format")
            return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        except (ValueError, TypeError, KeyError):
            raise ArchiveDamaged(f"not a caseapp backup (no valid {MANIFEST_NAME})") from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_archive(out: Path, snapshot: Path, manifest: Manifest) -> None:
    """Write the backup file (mode 0600) next to its final name, then rename it into place."""
    manifest.sha256 = sha256_of(snapshot)
    partial = out.with_name(f".{out.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = manifest.to_json().encode("utf-8")
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(snapshot, arcname=manifest.member, recursive=False, filter=_private)
            raw.flush()
            os.fsync(raw.fileno())
        if out.exists():
            raise BackupError(f"{out} already exists; choose a new file name")
        os.replace(partial, out)
    finally:
        if partial.exists():
            partial.unlink()


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def read_archive(path: Path, workdir: Path) -> tuple[Manifest, Path]:
    """The manifest and the snapshot extracted into `workdir`, checked against its SHA-256."""
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            manifest = Manifest.from_json(_member_bytes(tar, MANIFEST_NAME).decode("utf-8"))
            snapshot = workdir / manifest.member
            source = tar.extractfile(manifest.member)
            if source is None:
                raise KeyError(manifest.member)
            fd = os.open(snapshot, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as target:
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    target.write(chunk)
    except (tarfile.TarError, KeyError, OSError, EOFError, UnicodeDecodeError) as exc:
        raise ArchiveDamaged(f"{path} is not a readable caseapp backup ({type(exc).__name__})") from None
    if sha256_of(snapshot) != manifest.sha256:
        raise ArchiveDamaged(f"{path} is damaged: the snapshot does not match its checksum")
    return manifest, snapshot


def _member_bytes(tar: tarfile.TarFile, name: str) -> bytes:
    member = tar.extractfile(name)
    if member is None:
        raise KeyError(name)
    return member.read()
