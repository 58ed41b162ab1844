"""Server-side sessions: long random ids, timeouts, and changes that end or re-scope live sessions."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from flask import Flask

from caseapp import create_app
from caseapp.auth.models import UserSession
from caseapp.core.access import Role
from caseapp.extensions import db
from caseapp.users.models import User
from caseapp.users.services import reset_password, update_user
from tests.conftest import log_in
from tests.factories import PASSWORD, WARD_A, WARD_B, make_user


def test_session_id_has_at_least_128_bits(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker")
    cookie = worker.client.get_cookie("caseapp_session")
    data = app.session_interface.get_signing_serializer(app).loads(cookie.value)  # type: ignore[union-attr]
    token = data["_user_id"]
    # token_urlsafe: 6 bits a character
    assert len(token) * 6 >= 128 and "user" not in token


def test_absolute_timeout_ends_even_a_busy_session(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker")
    with app.app_context():
        row = UserSession.query.filter_by(user_id=worker.user_id).one()
        row.created_at -= dt.timedelta(seconds=app.config["SESSION_ABSOLUTE_TIMEOUT_SECONDS"] + 5)
        row.last_seen_at = row.created_at + dt.timedelta(hours=13)  # active a moment ago
        db.session.commit()
    assert worker.get("/").status_code == 302
    with app.app_context():
        assert UserSession.query.filter_by(user_id=worker.user_id).one().revoked


def test_a_page_view_keeps_a_session_alive(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    """Reading a page refreshes the session's last-seen time (at most every few minutes): a write from a
    GET, which must not trip the read-only guard of caseapp.core.db."""
    worker = login_as("worker")
    with app.app_context():
        row = UserSession.query.filter_by(user_id=worker.user_id).one()
        row.last_seen_at -= dt.timedelta(minutes=20)  # idle, but within the 30 minutes
        before = row.last_seen_at
        db.session.commit()
    assert worker.get("/").status_code == 200
    with app.app_context():
        row = UserSession.query.filter_by(user_id=worker.user_id).one()
        assert row.last_seen_at > before + dt.timedelta(minutes=19) and not row.revoked


def test_defaults_are_thirty_minutes_idle_and_twelve_hours_absolute(app: Flask) -> None:
    assert app.config["SESSION_IDLE_TIMEOUT_SECONDS"] == 30 * 60
    assert app.config["SESSION_ABSOLUTE_TIMEOUT_SECONDS"] == 12 * 60 * 60


def test_password_change_ends_the_other_sessions(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", username="oanh")
    laptop = app.test_client()  # the same person, logged in on a laptop that was then lost
    log_in(laptop, "oanh")
    assert laptop.get("/").status_code == 200
    new = "another long passphrase here"
    worker.post("/auth/password", data={"current": PASSWORD, "new": new, "confirm": new})
    assert worker.get("/").status_code == 200  # the session that changed it continues
    assert laptop.get("/").status_code == 302


def test_admin_password_reset_ends_every_session(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker")
    with app.app_context():
        reset_password(user=db.session.get(User, worker.user_id))
    assert worker.get("/").status_code == 302


def test_ward_reassignment_rescopes_a_live_session_at_its_next_request(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    page = worker.get("/wards/").get_data(as_text=True)
    assert "Ba Đình" in page and "Ngọc Hà" not in page
    with app.app_context():
        user = db.session.get(User, worker.user_id)
        update_user(
            user=user, display_name=user.display_name, role=Role.WORKER, ward_codes=[WARD_B], active=True
        )
    page = worker.get("/wards/").get_data(as_text=True)  # the same cookie, no new login
    assert "Ngọc Hà" in page and "Ba Đình" not in page


def test_role_change_takes_effect_at_the_next_request(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")
    assert admin.get("/admin/users/").status_code == 200
    with app.app_context():
        user = db.session.get(User, admin.user_id)
        update_user(user=user, display_name=user.display_name, role=Role.ANALYST, ward_codes=[], active=True)
    assert admin.get("/admin/users/").status_code == 403


def test_production_cookies_are_secure_httponly_samesite_lax(
    app: Flask, instance_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRET_KEY", os.urandom(24).hex())
    monkeypatch.setenv("CASEAPP_KEYRING_FILE", str(instance_dir / "keyring.json"))
    prod = create_app(
        "production",
        instance_path=str(instance_dir),
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
    )
    try:
        with prod.app_context():
            make_user("worker", username="prod-worker")
        client = prod.test_client()
        response = log_in(client, "prod-worker")
        assert response.status_code == 302
        cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("caseapp_session="))
        flags = {part.strip().lower() for part in cookie.split(";")}
        assert {"secure", "httponly", "samesite=lax"} <= flags
        assert not any(
            flag.startswith(("expires", "max-age")) for flag in flags
        )  # gone when the browser closes
    finally:
        with prod.app_context():
            db.session.remove()
            db.engine.dispose()
