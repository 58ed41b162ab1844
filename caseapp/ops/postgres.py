"""PostgreSQL's own tools for backups: pg_dump and pg_restore, and scratch databases for verification.

The password goes to the tools through PGPASSWORD, never on a command line that `ps` would show.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess  # nosec B404 - runs pg_dump and pg_restore only, see run_tool
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from caseapp.ops.archive import BackupError

# a dump or restore that takes longer than this has hung (a lock, a network partition)
TOOL_TIMEOUT_SECONDS = 6 * 3600


class ToolMissing(BackupError):
    """pg_dump or pg_restore is not installed where caseapp looks for it."""


def find_tool(name: str) -> str:
    """The tool from CASEAPP_PG_BIN, else PATH, else the newest /usr/lib/postgresql/*/bin."""
    configured = os.environ.get("CASEAPP_PG_BIN")
    candidates = [str(Path(configured) / name)] if configured else []
    on_path = shutil.which(name)
    candidates += [on_path] if on_path else []
    candidates += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key, reverse=True)
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    raise ToolMissing(
        f"{name} not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client), "
        "or set CASEAPP_PG_BIN to the directory that holds them"
    )


def _version_key(path: str) -> int:
    version = Path(path).parent.parent.name
    return int(version) if version.isdigit() else 0


def libpq_args(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the PostgreSQL tools, and the environment carrying the password."""
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432)]
    if url.username:
        args += ["--username", url.username]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    sslmode = url.query.get("sslmode")
    if isinstance(sslmode, str):
        env["PGSSLMODE"] = sslmode
    return args, env


def run_tool(name: str, url: URL, extra: Sequence[str]) -> None:
    """Run pg_dump or pg_restore against `url`; a failure names the tool and its message."""
    args, env = libpq_args(url)
    command = [find_tool(name), *args, "--dbname", str(url.database), *extra]
    result = subprocess.run(  # noqa: S603  # nosec B603 - a fixed tool path and arguments, no shell
        command, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT_SECONDS, check=False
    )
    if result.returncode != 0:
        # the tools' messages name objects and settings, never row values (no data is echoed)
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{name} failed: {' / '.join(detail[-3:]) or f'exit status {result.returncode}'}")


def dump(url: URL, out: Path, *, snapshot: str | None = None) -> None:
    """pg_dump in custom format, optionally inside an exported snapshot."""
    extra = ["--format=custom", "--no-owner", "--no-privileges", "--file", str(out)]
    if snapshot:
        extra += ["--snapshot", snapshot]
    run_tool("pg_dump", url, extra)


def restore(url: URL, dump_file: Path) -> None:
    """pg_restore into `url` in one transaction: all of it, or nothing."""
    extra = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", str(dump_file)]
    run_tool("pg_restore", url, extra)


def psycopg_url(url: URL) -> URL:
    return url.set(drivername="postgresql+psycopg")


@contextmanager
def scratch_database(url: URL) -> Iterator[URL]:
    """A new, empty database on the same server as `url`, dropped afterwards."""
    name = f"caseapp_scratch_{secrets.token_hex(6)}"
    admin = create_engine(psycopg_url(url), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        raise BackupError(
            f"cannot create a scratch database to verify into ({type(exc).__name__}): grant CREATEDB to "
            "this database user, or pass --scratch-url with an empty database"
        ) from None
    try:
        yield url.set(database=name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def parse(url: str) -> URL:
    return make_url(url)
