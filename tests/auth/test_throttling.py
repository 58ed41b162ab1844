"""Login throttling per account and per address, shared by several app processes through the database."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from caseapp.auth.models import LoginFailure, UserSession
from caseapp.auth.throttle import Attempt
from caseapp.core.audit import AuditEvent
from caseapp.core.db import utcnow
from caseapp.extensions import db
from tests.conftest import log_in
from tests.factories import PASSWORD, make_user

WRONG = "not the password at all"


def browser(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def flashed(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r'<p class="flash flash-error">([^<]+)</p>', response.get_data(as_text=True))
    assert match, "no error message on the page"
    return match.group(1)


def logged_in(client: FlaskClient, username: str, password: str = PASSWORD) -> bool:
    return log_in(client, username, password).status_code == 302


def age_failures(app: Flask, seconds: int) -> None:
    with app.app_context():
        db.session.execute(
            update(LoginFailure).values(occurred_at=LoginFailure.occurred_at - dt.timedelta(seconds=seconds))
        )
        db.session.commit()


def test_account_locks_after_five_failures_spread_over_two_processes(app: Flask, make_app) -> None:  # type: ignore[no-untyped-def]
    other = make_app()  # a second worker process on the same database
    with app.app_context():
        make_user("worker", username="anh")
    for n in range(5):
        # a different address each time: only the per-account limit can stop this
        assert not logged_in(browser(app if n % 2 else other, f"10.0.1.{n}"), "anh", WRONG)
    assert not logged_in(browser(other, "10.0.1.99"), "anh")  # the right password, refused
    assert not logged_in(browser(app, "10.0.1.98"), "anh")
    with app.app_context():
        assert UserSession.query.count() == 0
        lockouts = AuditEvent.query.filter_by(action="login.lockout").all()
        assert [e.details for e in lockouts] == [{"scope": "account"}]
        throttled = AuditEvent.query.filter_by(action="login.failure").all()
        assert sum(1 for e in throttled if e.details.get("throttled")) == 2
    age_failures(app, 61)  # a minute later the account opens again
    assert logged_in(browser(other, "10.0.1.97"), "anh")


def test_address_locks_after_five_failures_on_different_accounts(app: Flask, make_app) -> None:  # type: ignore[no-untyped-def]
    other = make_app()
    with app.app_context():
        make_user("worker", username="binh")
    for n in range(5):
        assert not logged_in(browser(other if n % 2 else app, "10.0.2.1"), f"guess{n}", WRONG)
    assert not logged_in(browser(app, "10.0.2.1"), "binh")  # an innocent account from the same address
    assert logged_in(browser(other, "10.0.2.2"), "binh")  # the same account from elsewhere
    with app.app_context():
        assert [e.details for e in AuditEvent.query.filter_by(action="login.lockout")] == [
            {"scope": "address"}
        ]


def test_at_most_a_hundred_failures_an_hour(app: Flask) -> None:
    with app.app_context():
        make_user("worker", username="chi")
        attempt = Attempt.of(username="chi", address="10.0.3.1")
        old = utcnow() - dt.timedelta(minutes=30)
        db.session.add_all(
            LoginFailure(occurred_at=old, username_hash=attempt.username_hash, address_hash=bytes(32))
            for _ in range(99)
        )
        db.session.commit()
    assert logged_in(browser(app, "10.0.3.2"), "chi")  # 99 in the hour: still open
    assert not logged_in(browser(app, "10.0.3.3"), "chi", WRONG)  # the 100th
    assert not logged_in(browser(app, "10.0.3.4"), "chi")


def test_every_failure_shows_the_same_message(app: Flask) -> None:
    with app.app_context():
        make_user("worker", username="dung")
        gone = make_user("worker", username="gone")
        gone.active = False
        db.session.commit()
    messages = {
        flashed(log_in(browser(app, "10.0.4.1"), "dung", WRONG)),
        flashed(log_in(browser(app, "10.0.4.2"), "nobody", WRONG)),
        flashed(log_in(browser(app, "10.0.4.3"), "gone")),
    }
    for n in range(5):
        log_in(browser(app, f"10.0.4.{10 + n}"), "dung", WRONG)
    messages.add(flashed(log_in(browser(app, "10.0.4.99"), "dung")))  # throttled
    assert messages == {"Sai tên đăng nhập hoặc mật khẩu. Sau nhiều lần sai, hãy chờ vài phút rồi thử lại."}


def test_failures_older_than_an_hour_are_purged(app: Flask) -> None:
    with app.app_context():
        db.session.add(
            LoginFailure(
                occurred_at=utcnow() - dt.timedelta(hours=2), username_hash=b"u" * 32, address_hash=b"a" * 32
            )
        )
        db.session.commit()
    log_in(browser(app, "10.0.5.1"), "someone", WRONG)
    with app.app_context():
        assert LoginFailure.query.count() == 1
        assert LoginFailure.query.one().occurred_at > utcnow() - dt.timedelta(minutes=1)


def test_failure_rows_hold_no_typed_username_or_address(app: Flask) -> None:
    log_in(browser(app, "10.0.6.7"), "canary-user-x", WRONG)
    with app.app_context():
        row = LoginFailure.query.one()
        stored = row.username_hash + row.address_hash
    assert b"canary" not in stored and b"10.0.6.7" not in stored
