"""A throwaway deployment for a load or fault test: its own database, instance dir, staff and gunicorn.

Everything listens on loopback only. A PostgreSQL deployment gets a new database on the given server,
dropped afterwards; a SQLite one lives in the work directory.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import requests
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select
from sqlalchemy.engine import make_url

from config import with_driver

REPO = Path(__file__).resolve().parent.parent
LOOPBACK = frozenset({"127.0.0.1", "localhost"})
PASSWORD = "load-test password 2026"
CLIENTS_PER_WARD = 8
GUNICORN_CONFIG = "python:caseapp.ops.gunicorn_conf"


class LoopbackOnly(ValueError):
    """Load and fault tests only ever talk to this machine."""


def require_loopback(host: str | None, what: str) -> None:
    if host not in LOOPBACK:
        raise LoopbackOnly(f"{what} must be on loopback (127.0.0.1 or localhost), not {host!r}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Staff:
    """A seeded account the simulated users log in with."""

    username: str
    role: str
    wards: list[int]
    client_codes: list[str] = field(default_factory=list)


@dataclass
class Deployment:
    """The database and instance dir of one test, and the staff seeded into it."""

    workdir: Path
    database_url: str
    staff: list[Staff] = field(default_factory=list)
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))

    @property
    def instance(self) -> Path:
        return self.workdir / "instance"

    @property
    def dialect(self) -> str:
        return make_url(self.database_url).get_backend_name()

    def env(self) -> dict[str, str]:
        """The environment of a production server for this deployment."""
        env = {k: v for k, v in os.environ.items() if k not in ("CASEAPP_KEYRING", "PYTEST_CURRENT_TEST")}
        env.update(
            CASEAPP_ENV="production",
            CASEAPP_INSTANCE=str(self.instance),
            CASEAPP_KEYRING_FILE=str(self.instance / "keyring.json"),
            DATABASE_URL=self.database_url,
            SECRET_KEY=self.secret_key,
            PYTHONPATH=str(REPO),
        )
        return env

    def app(self, **overrides: object) -> Flask:
        """An app on this deployment's database, in this process (seeding and checking)."""
        from caseapp import create_app

        return create_app(
            "development",
            instance_path=str(self.instance),
            SQLALCHEMY_DATABASE_URI=self.database_url,
            KEYRING_PATH=str(self.instance / "keyring.json"),
            KEYRING_JSON=None,
            SECRET_KEY=self.secret_key,
            **overrides,
        )


@contextmanager
def deployment(workdir: Path, database_url: str | None = None) -> Iterator[Deployment]:
    """A fresh deployment: SQLite (in `workdir` unless given), or a new database on a PostgreSQL server."""
    workdir.mkdir(parents=True, exist_ok=True)
    if database_url is not None:
        database_url = with_driver(database_url)  # the docs' postgresql://... as the app reads it
    if database_url is None or make_url(database_url).get_backend_name() == "sqlite":
        yield Deployment(workdir, database_url or f"sqlite:///{workdir / 'caseapp.sqlite3'}")
        return
    from caseapp.ops.postgres import scratch_database

    url = make_url(database_url)
    require_loopback(url.host, "the database")
    with scratch_database(url) as scratch:
        yield Deployment(workdir, scratch.render_as_string(hide_password=False))


def seed(
    dep: Deployment, *, workers: int, supervisors: int, wards: int = 3, fast_passwords: bool = False
) -> None:
    """Schema, wards, staff with known passwords, and clients with consent to log contacts for.

    `fast_passwords` hashes the staff passwords with the test suite's cheap argon2 parameters, so short
    runs measure casework rather than logins.
    """
    from caseapp.core.crypto import checks
    from caseapp.core.crypto.state import current_state
    from caseapp.extensions import db
    from caseapp.wards.models import Ward
    from caseapp.wards.services import load_reference_wards, set_cohort

    app = dep.app(**({"ARGON2_PROFILE": "fast"} if fast_passwords else {}))
    with app.app_context():
        upgrade(revision="heads")
        load_reference_wards()
        codes = list(db.session.scalars(select(Ward.code).order_by(Ward.code).limit(wards)))
        set_cohort(codes=codes, cohort=2025)
        db.session.commit()
        clients = {code: _seed_clients(code) for code in codes}
        for i in range(workers):
            ward = codes[i % len(codes)]
            dep.staff.append(_seed_staff(f"lt_worker{i}", "worker", [ward], clients[ward]))
        for i in range(supervisors):
            dep.staff.append(_seed_staff(f"lt_supervisor{i}", "supervisor", codes, []))
        # what the first start after a migration does: record which keys encrypt this database
        checks.register_missing(current_state().keyring, {})
        db.session.remove()
        db.engine.dispose()


def _seed_staff(username: str, role: str, wards: list[int], client_codes: list[str]) -> Staff:
    from caseapp.core.access import Role
    from caseapp.extensions import db
    from caseapp.users.services import create_user

    user, _ = create_user(
        username=username, display_name=username, role=Role(role), ward_codes=wards, password=PASSWORD
    )
    user.must_change_password = False
    db.session.commit()
    return Staff(username, role, wards, client_codes)


def _seed_clients(ward: int) -> list[str]:
    from caseapp.clients.codes import new_code
    from caseapp.clients.models import Client, Consent
    from caseapp.extensions import db

    codes = []
    for _ in range(CLIENTS_PER_WARD):
        code = new_code()  # the clients feature's own format: a worker types it into the contact form
        client = Client(code=code, ward_code=ward, birth_year=1995, registered_on=dt.date(2026, 1, 2))
        client.alias = f"Khách {code}"
        client.consents.append(
            Consent(
                given=True,
                purposes=["case_management"],
                data_categories=["identity"],
                given_on=dt.date(2026, 1, 2),
            )
        )
        db.session.add(client)
        codes.append(code)
    db.session.commit()
    return codes


@dataclass
class Server:
    """A gunicorn master serving this deployment on loopback."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path
    copier: threading.Thread | None = None

    def worker_pids(self) -> list[int]:
        """The master's children: its worker processes."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with suppress(OSError):
            return [int(p) for p in path.read_text().split()]
        return []

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 30) -> None:
        """Graceful stop (SIGTERM: workers finish their requests), then SIGKILL if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.copier is not None:
            self.copier.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_server(
    dep: Deployment,
    *,
    workers: int = 3,
    host: str = "127.0.0.1",
    port: int | None = None,
    app_spec: str = "loadtest.wsgi:app",
    env: dict[str, str] | None = None,
    wait: float = 60,
    healthy: bool = True,
) -> Server:
    """Start gunicorn with several workers; wait for /healthz to say 200 (or anything, if not `healthy`)."""
    require_loopback(host, "the server")
    port = port or free_port()
    log = dep.workdir / f"gunicorn-{port}.log"
    command = [
        sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG,
        "--workers", str(workers), "--bind", f"{host}:{port}", "--access-logfile", "-", app_spec,
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=REPO, env=env or dep.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    # through a pipe, copied by a thread: a full or read-only disk under test never silences the log
    copier = threading.Thread(target=_copy_output, args=(process, log), daemon=True)
    copier.start()
    server = Server(process, f"http://{host}:{port}", log, copier)
    if not wait_healthy(server, wait, (200,) if healthy else (200, 503)):
        server.stop()
        raise RuntimeError(f"gunicorn did not become healthy; its log:\n{server.log_text()[-3000:]}")
    return server


def _copy_output(process: subprocess.Popen[bytes], log: Path) -> None:
    assert process.stdout is not None
    with log.open("ab", buffering=0) as out:
        for line in process.stdout:
            out.write(line)


def wait_healthy(server: Server, timeout: float, statuses: tuple[int, ...] = (200,)) -> bool:
    """Poll /healthz until it answers one of `statuses`, the process exits, or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.process.poll() is None:
        with suppress(requests.RequestException):
            if requests.get(f"{server.url}/healthz", timeout=2).status_code in statuses:
                return True
        time.sleep(0.2)
    return False
