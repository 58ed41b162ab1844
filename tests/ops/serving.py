"""Helpers for tests that run a real gunicorn: a seeded deployment, load on threads, and the checks."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from flask import Flask

from caseapp.extensions import db
from loadtest.deployment import Deployment, Server, deployment, seed, start_server
from loadtest.driver import LoadRun
from loadtest.run import WriteCheck, check_writes
from loadtest.scenarios import AnonymousContact, ClientContact, WriteScenario
from tests.conftest import using_postgres

REPO = Path(__file__).resolve().parents[2]
WRITES: list[WriteScenario] = [AnonymousContact(), ClientContact()]


@dataclass
class Served:
    """A seeded deployment, its gunicorn, and an in-process app on the same database for checking."""

    dep: Deployment
    server: Server
    app: Flask

    def load(self, seconds: float, prefix: str, max_requests: int = 5000) -> LoadRun:
        return LoadRun(self.server.url, self.dep.staff, list(WRITES), prefix, seconds, max_requests).start()

    def check(self, *runs: LoadRun) -> WriteCheck:
        """Exactly once for every acknowledged write of every run, and the audit chain whole."""
        merged = runs[0]
        for other in runs[1:]:
            merged.users.extend(other.users)
        return check_writes(self.app, merged, WRITES)


def suite_database_server() -> str | None:
    """Where gunicorn's database goes: the suite's PostgreSQL server, or SQLite in the work dir."""
    return os.environ["DATABASE_URL"] if using_postgres() else None


@contextmanager
def served(workdir: Path, database_url: str | None = None, *, server_workers: int = 3) -> Iterator[Served]:
    with deployment(workdir, database_url) as dep:
        seed(dep, workers=4, supervisors=0, fast_passwords=True)
        app = dep.app()
        server = start_server(dep, workers=server_workers)
        try:
            yield Served(dep, server, app)
        finally:
            server.stop()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def acknowledged(run: LoadRun) -> list[str]:
    return [w.token for w in run.writes if w.acknowledged]


def health(server: Server) -> int:
    try:
        return requests.get(f"{server.url}/healthz", timeout=5).status_code
    except requests.RequestException:
        return 0


def wait_for(predicate, timeout: float, every: float = 0.2) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False


def need_root(what: str) -> None:
    if os.geteuid() != 0:
        pytest.skip(f"{what} needs root")


def pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: p.parent.parent.name)
    if not found:
        pytest.skip("PostgreSQL server binaries not installed")
    return found[-1].parent


@dataclass
class OwnPostgres:
    """A PostgreSQL cluster this test module started (scripts/pg_throwaway.sh), to stop and start at will."""

    directory: Path
    port: int
    url: str

    def _ctl(self, *args: str) -> None:
        command = [
            "runuser",
            "-u",
            "postgres",
            "--",
            str(pg_bin() / "pg_ctl"),
            "-D",
            str(self.directory / "data"),
        ]
        subprocess.run([*command, *args], check=True, capture_output=True, timeout=60)

    def stop(self) -> None:
        self._ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.directory}/sock "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._ctl("-l", str(self.directory / "server.log"), "-w", "-o", options, "start")


@contextmanager
def own_postgres(port: int) -> Iterator[OwnPostgres]:
    """A throwaway cluster on `port`, in a directory the postgres user can reach (not pytest's 0700 one)."""
    need_root("a PostgreSQL cluster of its own")
    pg_bin()
    if shutil.which("runuser") is None:
        pytest.skip("runuser not available")
    script = REPO / "scripts" / "pg_throwaway.sh"
    directory = Path(tempfile.mkdtemp(prefix="caseapp-ops-pg-"))
    try:
        result = subprocess.run(
            [str(script), "start", str(directory), str(port)], capture_output=True, text=True, timeout=120
        )
        if result.returncode != 0:
            pytest.skip(f"no PostgreSQL cluster on port {port}: {result.stderr.strip()[-300:]}")
        yield OwnPostgres(directory, port, result.stdout.strip().splitlines()[-1])
    finally:
        subprocess.run([str(script), "stop", str(directory)], capture_output=True, timeout=120)
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A small RAM file system at `path`, so the test can fill it or make it read-only for real."""
    need_root("mounting a file system")
    path.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode(errors='replace').strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


def remount(path: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(path)], check=True, capture_output=True)


def fill(directory: Path) -> Path:
    """Write a file until the disk is full, to the last byte."""
    filler = directory / "filler"
    with filler.open("wb", buffering=0) as handle:
        for chunk in (1 << 20, 1 << 12, 1):
            with suppress(OSError):
                while True:
                    handle.write(bytes(chunk))
    return filler


def truncate_wal(database: Path) -> None:
    """Checkpoint SQLite's write-ahead log to zero bytes, so the next write must grow a file."""
    conn = sqlite3.connect(database, timeout=30)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0, "the checkpoint could not complete"
    finally:
        conn.close()
