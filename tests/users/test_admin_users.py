"""Admins create and edit staff accounts; the CLI creates accounts with one-time passwords."""

from __future__ import annotations

import re

from click.testing import Result
from flask import Flask

from caseapp.core.audit import AuditEvent
from caseapp.users.models import User
from tests.conftest import log_in
from tests.factories import WARD_A, WARD_B


def test_admin_creates_a_worker_for_two_wards_who_can_then_log_in(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")
    response = admin.post(
        "/admin/users/new",
        {"username": "Worker.Lan", "display_name": "Chị Lan", "role": "worker", "wards": [WARD_A, WARD_B]},
    )
    assert response.status_code == 200
    secret = re.search(r'data-testid="one-time-password">([^<]+)<', response.get_data(as_text=True))
    assert secret
    with app.app_context():
        user = User.query.filter_by(username="worker.lan").one()
        assert user.ward_codes == {WARD_A, WARD_B} and user.must_change_password
        event = AuditEvent.query.filter_by(action="user.created", entity_id=str(user.id)).one()
        assert secret.group(1) not in str(event.details)
    client = app.test_client()
    assert log_in(client, "worker.lan", secret.group(1)).status_code == 302


def test_worker_and_supervisor_need_a_ward(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")
    response = admin.post("/admin/users/new", {"username": "nowards", "display_name": "X", "role": "worker"})
    assert "ít nhất một phường/xã" in response.get_data(as_text=True)
    with app.app_context():
        assert User.query.filter_by(username="nowards").count() == 0


def test_cli_creates_a_user_and_prints_a_one_time_password(app: Flask) -> None:
    runner = app.test_cli_runner()
    result: Result = runner.invoke(
        args=["users", "create", "hung", "--role", "worker", "--ward", str(WARD_A), "--ward", str(WARD_B)]
    )
    assert result.exit_code == 0, result.output
    assert "one-time password:" in result.output
    with app.app_context():
        assert User.query.filter_by(username="hung").one().ward_codes == {WARD_A, WARD_B}
    again = runner.invoke(args=["users", "create", "hung", "--role", "worker", "--ward", str(WARD_A)])
    assert again.exit_code != 0 and "taken" in again.output
    bad = runner.invoke(args=["users", "create", "khoa", "--role", "worker", "--ward", "99999999"])
    assert bad.exit_code != 0 and "unknown ward" in bad.output


def test_cli_reads_the_password_from_stdin(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "quynh", "--role", "analyst", "--password-stdin"],
        input="a perfectly long password\n",
    )
    assert result.exit_code == 0 and "one-time password" not in result.output
    assert log_in(app.test_client(), "quynh", "a perfectly long password").status_code == 302


def test_ensure_admin_creates_only_one(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["users", "ensure-admin", "--url", "http://127.0.0.1:8080"])
    assert "One-time password" in first.output and "Log in at http://127.0.0.1:8080 " in first.output
    second = runner.invoke(args=["users", "ensure-admin"])
    assert "nothing to do" in second.output
