"""Shared fixtures: one app per test session on SQLite (default) or PostgreSQL (DATABASE_URL),
schema built by the migrations, every table emptied between tests."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import text

from caseapp import create_app
from caseapp.extensions import db
from caseapp.wards.services import load_reference_wards
from tests.factories import PASSWORD, make_user

# reference data that survives between tests (emptied tables are refilled by fixtures as needed)
# CI replays the same generated examples on every run, so a landing is blocked only by a change, and a
# failure there can be reproduced; `make test` on a workstation explores new examples each time
# (HYPOTHESIS_PROFILE=ci make test reproduces CI)
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PRESERVED_TABLES = {"wards", "alembic_version", "audit_head", "crypto_key_checks"}


def using_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def reset_postgres_schema(url: str) -> None:
    """A clean public schema, so the migrations start from nothing."""
    from sqlalchemy import create_engine

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def app(instance_dir: Path) -> Iterator[Flask]:
    overrides: dict[str, object] = {}
    if using_postgres():
        reset_postgres_schema(os.environ["DATABASE_URL"])
    else:
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance_dir / 'test.sqlite3'}"
    app = create_app("test", instance_path=str(instance_dir), **overrides)
    with app.app_context():
        upgrade(revision="heads")
        load_reference_wards()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def make_app(app: Flask, instance_dir: Path):  # type: ignore[no-untyped-def]
    """Another app on the same database and instance dir (a second process, an extra route)."""
    made: list[Flask] = []

    def _make(**overrides: object) -> Flask:
        settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], **overrides}
        other = create_app("test", instance_path=str(instance_dir), **settings)
        made.append(other)
        return other

    yield _make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(app: Flask) -> Iterator[None]:
    yield
    with app.app_context():
        db.session.remove()
        empty_tables()


def empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in PRESERVED_TABLES]
    with db.engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        conn.execute(text("UPDATE audit_head SET seq = 0, last_hash = :h WHERE id = 1"), {"h": "0" * 64})
        conn.execute(text("UPDATE wards SET cohort = NULL, active = :t"), {"t": True})


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield
        db.session.remove()


class Staff:
    """A logged-in test browser: posts carry the session's CSRF token, like a real form."""

    def __init__(self, client: FlaskClient, user_id: int) -> None:
        self.client = client
        self.user_id = user_id
        self._token: str | None = None

    def csrf(self) -> str:
        if self._token is None:
            page = self.client.get("/auth/password").get_data(as_text=True)
            match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
            assert match, "no CSRF token on the password page"
            self._token = match.group(1)
        return self._token

    def get(self, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict[str, object] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
        payload = dict(data or {})
        payload.setdefault("csrf_token", self.csrf())
        return self.client.post(url, data=payload, **kwargs)


def log_in(client: FlaskClient, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "login page has no CSRF token"
    return client.post(
        "/auth/login", data={"username": username, "password": password, "csrf_token": token.group(1)}
    )


@pytest.fixture
def login_as(app: Flask):  # type: ignore[no-untyped-def]
    """login_as("worker", wards=[4, 8]) -> Staff with a fresh test client and a real session."""

    def _login(role: str, wards: tuple[int, ...] | list[int] = (4,), username: str | None = None) -> Staff:
        with app.app_context():
            user = make_user(role, wards=wards, username=username)
            user_id = user.id
            name = user.username
        client = app.test_client()
        response = log_in(client, name)
        assert response.status_code == 302, response.get_data(as_text=True)
        return Staff(client, user_id)

    return _login
