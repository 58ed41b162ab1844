"""/healthz for load balancers, and the 503 page when the database is down: clear, bilingual, no traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from flask import Flask

from caseapp.core.crypto.state import EXTENSION_KEY

# nothing listens on the discard port: connecting is refused at once
UNREACHABLE_DB = "postgresql+psycopg://caseapp:secret-canary@127.0.0.1:9/caseapp"


@pytest.fixture
def ops_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The caseapp logger does not propagate to the root logger: listen to it directly."""
    logger = logging.getLogger("caseapp")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def test_healthy_answers_200_with_three_facts_and_nothing_else(app: Flask) -> None:
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": True, "keyring": True}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_database_down_answers_503_and_logs_it(make_app, ops_log) -> None:  # type: ignore[no-untyped-def]
    broken = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE_DB)
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": False, "keyring": True}
    assert "secret-canary" not in ops_log.text and "database unavailable" in ops_log.text


def test_missing_key_ring_answers_503(make_app) -> None:  # type: ignore[no-untyped-def]
    other = make_app()
    del other.extensions[EXTENSION_KEY]
    response = other.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["keyring"] is False


def test_logged_in_page_with_database_down_is_a_clean_503(app: Flask, make_app, login_as, ops_log) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker")
    cookie = worker.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    broken = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE_DB)
    client = broken.test_client()
    client.set_cookie(cookie.key, cookie.value)
    response = client.get("/wards/")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "Tạm thời gián đoạn" in page
    assert "Traceback" not in page and "SELECT" not in page and "secret-canary" not in page
    assert "database unavailable: OperationalError" in ops_log.text
    assert "SELECT" not in ops_log.text and "secret-canary" not in ops_log.text


def test_english_503_page(make_app) -> None:  # type: ignore[no-untyped-def]
    broken = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE_DB)
    client = broken.test_client()
    client.get("/lang/en")
    with client.session_transaction() as session:
        session["_user_id"] = "a-session-token"  # makes the page ask the database who is logged in
    response = client.get("/wards/")
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.get_data(as_text=True)


def test_error_page_that_cannot_render_falls_back_to_a_bare_bilingual_page(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseapp.core import errors

    def broken_render(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("template exploded")

    monkeypatch.setattr(errors, "render_template", broken_render)
    response = app.test_client().get("/no-such-page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Vui lòng thử lại" in page and "try again" in page and "exploded" not in page


def test_a_connection_closed_by_the_server_does_not_turn_a_page_into_a_500(
    login_as, monkeypatch: pytest.MonkeyPatch, ops_log
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    worker = login_as("worker")
    real_close = Session.close
    calls: list[int] = []

    def dead_connection_close(self: Session) -> None:
        calls.append(1)
        if len(calls) == 1:  # as when PostgreSQL terminates the connection during the request
            raise OperationalError("ROLLBACK", {}, Exception("terminating connection"))
        real_close(self)

    monkeypatch.setattr(Session, "close", dead_connection_close)
    response = worker.get("/wards/")  # the page was made; the session's end fails after it
    assert response.status_code == 200 and "Phường" in response.get_data(as_text=True) and calls
    assert "database session not closed cleanly: OperationalError" in ops_log.text
