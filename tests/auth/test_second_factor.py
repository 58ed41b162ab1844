"""The second factor with the production requirement switched on: TOTP, single-use codes, recovery, reset."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

import config
from caseapp.auth import second_factor
from caseapp.auth.models import RecoveryCode, SecondFactor, UserSession
from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from caseapp.users.models import User
from tests.conftest import log_in
from tests.factories import PASSWORD, make_user

REQUIRED = ("supervisor", "analyst", "admin")


@pytest.fixture(autouse=True)
def production_requirement(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The test config switches the requirement off for other suites; here it is what production runs."""
    monkeypatch.setitem(app.config, "TOTP_REQUIRED_ROLES", REQUIRED)
    yield


class Clock:
    """TOTP time that tests move forward, so a fresh code exists without waiting 30 seconds."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1_800_000_000.0
        monkeypatch.setattr(second_factor, "now_seconds", lambda: self.now)

    def tick(self, steps: int = 1) -> None:
        self.now += 30 * steps


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def csrf(page: str) -> str:
    match = re.search(r'name="(?:\w+-)?csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "no CSRF token"
    return match.group(1)


def code_for(secret: str, clock: Clock) -> str:
    return pyotp.TOTP(secret).at(int(clock.now))


def enrol(client: FlaskClient, clock: Clock) -> tuple[str, list[str]]:
    """Walk the enrolment page like a person with a phone; returns the secret and the recovery codes."""
    page = client.get("/auth/second-factor/setup").get_data(as_text=True)
    secret = re.search(r'data-testid="totp-secret">([^<]+)<', page).group(1).replace(" ", "")  # type: ignore[union-attr]
    done = client.post(
        "/auth/second-factor/setup", data={"csrf_token": csrf(page), "code": code_for(secret, clock)}
    )
    codes = re.findall(r'<li class="secret">([a-z0-9-]+)</li>', done.get_data(as_text=True))
    assert len(codes) == 10, done.get_data(as_text=True)
    return secret, codes


def submit_code(client: FlaskClient, code: str):  # type: ignore[no-untyped-def]
    page = client.get("/auth/verify").get_data(as_text=True)
    return client.post("/auth/verify", data={"csrf_token": csrf(page), "code": code})


def logout(client: FlaskClient) -> None:
    page = client.get("/auth/second-factor").get_data(as_text=True)
    client.post("/auth/logout", data={"csrf_token": csrf(page)})


def enrolled_supervisor(
    app: Flask, clock: Clock, username: str = "giang"
) -> tuple[FlaskClient, str, list[str]]:
    with app.app_context():
        make_user("supervisor", username=username)
    client = app.test_client()
    log_in(client, username)
    secret, codes = enrol(client, clock)
    logout(client)
    clock.tick()  # the enrolment spent the current code
    return client, secret, codes


@pytest.mark.parametrize("role", REQUIRED)
def test_required_roles_reach_nothing_before_enrolling(app: Flask, role: str, clock: Clock) -> None:
    with app.app_context():
        make_user(role, username=f"must-{role}")
    client = app.test_client()
    log_in(client, f"must-{role}")
    for url in ("/", "/wards/", "/auth/second-factor"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith(
            "/auth/second-factor/setup"
        )
    enrol(client, clock)
    assert client.get("/").status_code == 200


def test_workers_are_not_forced_but_may_enrol(app: Flask, clock: Clock) -> None:
    with app.app_context():
        make_user("worker", username="hai")
    client = app.test_client()
    log_in(client, "hai")
    assert client.get("/").status_code == 200
    enrol(client, clock)
    logout(client)
    assert log_in(client, "hai").headers["Location"].endswith("/auth/verify")


def test_enrolment_comes_right_after_the_forced_password_change(app: Flask, clock: Clock) -> None:
    with app.app_context():
        make_user("admin", username="khanh", must_change_password=True)
    client = app.test_client()
    log_in(client, "khanh")
    assert client.get("/").headers["Location"].endswith("/auth/password")
    page = client.get("/auth/password").get_data(as_text=True)
    new = "a brand new long passphrase"
    client.post(
        "/auth/password", data={"csrf_token": csrf(page), "current": PASSWORD, "new": new, "confirm": new}
    )
    assert client.get("/").headers["Location"].endswith("/auth/second-factor/setup")


def test_login_needs_the_code_and_a_code_works_only_once(app: Flask, clock: Clock) -> None:
    client, secret, _codes = enrolled_supervisor(app, clock)
    response = log_in(client, "giang")
    assert response.headers["Location"].endswith("/auth/verify")
    assert client.get("/").status_code == 302  # the password alone opens nothing
    code = code_for(secret, clock)
    assert submit_code(client, code).status_code == 302
    assert client.get("/").status_code == 200
    logout(client)
    # the same code again, within its 30 seconds, from someone who watched it being typed
    log_in(client, "giang")
    refused = submit_code(client, code)
    assert refused.status_code == 200 and "đã được dùng" in refused.get_data(as_text=True)
    clock.tick()
    assert submit_code(client, code_for(secret, clock)).status_code == 302
    with app.app_context():
        successes = AuditEvent.query.filter_by(action="login.success").all()
        assert [e.details for e in successes][-2:] == [{"second_factor": "totp"}] * 2


def test_codes_from_an_older_step_are_refused_after_a_newer_one(app: Flask, clock: Clock) -> None:
    client, secret, _codes = enrolled_supervisor(app, clock)
    clock.tick(2)
    log_in(client, "giang")
    assert submit_code(client, code_for(secret, clock)).status_code == 302
    logout(client)
    clock.now -= 30  # the previous step is still within the drift window, but older than the one used
    log_in(client, "giang")
    assert submit_code(client, code_for(secret, clock)).status_code == 200


def test_recovery_codes_are_single_use_and_stored_hashed(app: Flask, clock: Clock) -> None:
    client, _secret, codes = enrolled_supervisor(app, clock)
    with app.app_context():
        stored = [row.code_hash for row in RecoveryCode.query.all()]
    assert len(stored) == 10 and all(h.startswith("$argon2id$") for h in stored)
    assert not any(code.replace("-", "") in h for code in codes for h in stored)
    log_in(client, "giang")
    assert submit_code(client, codes[3].upper()).status_code == 302
    logout(client)
    log_in(client, "giang")
    assert submit_code(client, codes[3]).status_code == 200  # spent
    with app.app_context():
        assert RecoveryCode.query.filter(RecoveryCode.used_at.is_not(None)).count() == 1


def test_totp_secret_is_encrypted_in_the_database(app: Flask, clock: Clock) -> None:
    _client, secret, _codes = enrolled_supervisor(app, clock)
    with app.app_context():
        raw = db.session.execute(text("SELECT secret FROM user_second_factors")).scalar_one()
    assert secret.encode() not in bytes(raw)


def test_qr_code_is_inline_data_not_a_third_party_image(app: Flask) -> None:
    with app.app_context():
        make_user("analyst", username="lam")
    client = app.test_client()
    log_in(client, "lam")
    page = client.get("/auth/second-factor/setup").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    assert "http://" not in page and "https://" not in page


def test_supervisors_cannot_switch_it_off_workers_can(app: Flask, clock: Clock) -> None:
    client, secret, _codes = enrolled_supervisor(app, clock)
    log_in(client, "giang")
    submit_code(client, code_for(secret, clock))
    clock.tick()
    page = client.get("/auth/second-factor").get_data(as_text=True)
    assert "/auth/second-factor/disable" not in page
    client.post(
        "/auth/second-factor/disable",
        data={"csrf_token": csrf(page), "disable-code": code_for(secret, clock)},
    )
    with app.app_context():
        assert SecondFactor.query.count() == 1
        make_user("worker", username="mai")
    worker = app.test_client()
    log_in(worker, "mai")
    worker_secret, _ = enrol(worker, clock)
    clock.tick()
    page = worker.get("/auth/second-factor").get_data(as_text=True)
    worker.post(
        "/auth/second-factor/disable",
        data={"csrf_token": csrf(page), "disable-code": code_for(worker_secret, clock)},
    )
    with app.app_context():
        assert SecondFactor.query.count() == 1  # only the supervisor's is left


def test_admin_resets_a_second_factor_without_touching_the_password(app: Flask, clock: Clock) -> None:
    client, secret, _codes = enrolled_supervisor(app, clock)
    log_in(client, "giang")
    submit_code(client, code_for(secret, clock))
    with app.app_context():
        user = User.query.filter_by(username="giang").one()
        user_id, password_hash = user.id, user.password_hash
        make_user("admin", username="nga")
    admin = app.test_client()
    log_in(admin, "nga")
    _, _ = enrol(admin, clock)
    listing = admin.get("/auth/second-factor/staff").get_data(as_text=True)
    assert "giang" in listing and secret not in listing
    admin.post(f"/auth/second-factor/staff/{user_id}/reset", data={"csrf_token": csrf(listing)})
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.password_hash == password_hash and not user.must_change_password
        assert db.session.get(SecondFactor, user_id) is None
        assert RecoveryCode.query.filter_by(user_id=user_id).count() == 0
        assert UserSession.query.filter_by(user_id=user_id, revoked=False).count() == 0
        assert AuditEvent.query.filter_by(action="second_factor.reset", entity_id=str(user_id)).count() == 1
    assert client.get("/").status_code == 302  # the live session ended
    log_in(client, "giang")  # the same password works, and enrolment starts again
    assert client.get("/").headers["Location"].endswith("/auth/second-factor/setup")


def test_workers_cannot_reset_anyones_second_factor(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker")
    assert worker.get("/auth/second-factor/staff").status_code == 403
    assert worker.post(f"/auth/second-factor/staff/{worker.user_id}/reset").status_code == 403


def test_wrong_codes_are_throttled_like_passwords(app: Flask, clock: Clock) -> None:
    client, secret, _codes = enrolled_supervisor(app, clock)
    log_in(client, "giang")
    for _ in range(5):
        assert submit_code(client, "000000").status_code == 200
    clock.tick()
    assert submit_code(client, code_for(secret, clock)).status_code == 200  # right code, but locked
    with app.app_context():
        assert AuditEvent.query.filter_by(action="login.lockout").count() >= 1


def test_the_code_page_needs_a_password_step_first(app: Flask) -> None:
    response = app.test_client().get("/auth/verify")
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")


def test_production_and_development_require_it_for_supervisors_analysts_admins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("CASEAPP_KEYRING", "{}")
    for name in ("production", "development"):
        roles = set(config.load(name, tmp_path)["TOTP_REQUIRED_ROLES"])
        assert roles == {"supervisor", "analyst", "admin"}, name


def test_the_command_line_resets_a_second_factor_for_a_locked_out_admin(app: Flask, clock: Clock) -> None:
    client, _secret, _codes = enrolled_supervisor(app, clock, username="quang")
    result = app.test_cli_runner().invoke(args=["auth", "reset-second-factor", "Quang"])
    assert result.exit_code == 0 and "reset" in result.output
    with app.app_context():
        assert SecondFactor.query.count() == 0
        assert AuditEvent.query.filter_by(action="second_factor.reset").count() == 1
    log_in(client, "quang")
    assert client.get("/").headers["Location"].endswith("/auth/second-factor/setup")
    unknown = app.test_cli_runner().invoke(args=["auth", "reset-second-factor", "nobody"])
    assert unknown.exit_code != 0 and "no account" in unknown.output
