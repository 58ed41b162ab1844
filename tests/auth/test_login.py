"""Login, logout, one-time passwords, revocable sessions."""

from __future__ import annotations

from flask import Flask

from caseapp.auth.models import UserSession
from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from caseapp.users.models import User
from tests.conftest import log_in
from tests.factories import PASSWORD, make_user


def test_wrong_password_and_unknown_user_get_the_same_message_and_are_audited(app: Flask) -> None:
    with app.app_context():
        make_user("worker", username="lan")
    client = app.test_client()
    wrong = log_in(client, "lan", "not the password at all").get_data(as_text=True)
    unknown = log_in(client, "nobody", "not the password at all").get_data(as_text=True)
    message = "Sai tên đăng nhập hoặc mật khẩu."
    assert message in wrong and message in unknown
    with app.app_context():
        failures = AuditEvent.query.filter_by(action="login.failure").order_by(AuditEvent.seq).all()
        assert len(failures) == 2
        assert failures[0].details == {"known_user": True} and failures[0].user_id is not None
        assert failures[1].details == {"known_user": False} and failures[1].user_id is None
        # the typed username and password are never stored
        assert all("nobody" not in str(e.details) and "lan" not in str(e.details) for e in failures)


def test_login_logout_and_a_copied_cookie_is_refused_after_logout(app: Flask) -> None:
    with app.app_context():
        make_user("worker", username="minh")
    client = app.test_client()
    assert log_in(client, "minh").status_code == 302
    assert client.get("/").status_code == 200
    cookie = client.get_cookie("caseapp_session")
    assert cookie is not None
    stolen = app.test_client()
    stolen.set_cookie("caseapp_session", cookie.value)
    assert stolen.get("/").status_code == 200  # a live copy works until logout...
    page = client.get("/").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/auth/logout", data={"csrf_token": token})
    assert stolen.get("/").status_code == 302  # ...and not after it
    with app.app_context():
        assert AuditEvent.query.filter_by(action="login.success").count() == 1
        assert AuditEvent.query.filter_by(action="logout").count() == 1


def test_deactivated_users_live_session_is_refused_at_next_request(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker")
    assert worker.get("/").status_code == 200
    with app.app_context():
        user = db.session.get(User, worker.user_id)
        from caseapp.core.access import Role
        from caseapp.users.services import update_user

        update_user(
            user=user,
            display_name=user.display_name,
            role=Role.WORKER,
            ward_codes=[w.code for w in user.wards],
            active=False,
        )
        assert UserSession.query.filter_by(user_id=worker.user_id, revoked=False).count() == 0
    assert worker.get("/").status_code == 302


def test_session_token_is_renewed_at_each_login(app: Flask) -> None:
    with app.app_context():
        make_user("worker", username="hoa")
    client = app.test_client()
    log_in(client, "hoa")
    first = client.get_cookie("caseapp_session").value  # type: ignore[union-attr]
    client2 = app.test_client()
    log_in(client2, "hoa")
    with app.app_context():
        assert UserSession.query.count() == 2
    assert client2.get_cookie("caseapp_session").value != first  # type: ignore[union-attr]


def test_idle_session_expires(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    worker = login_as("worker")
    with app.app_context():
        row = UserSession.query.filter_by(user_id=worker.user_id).one()
        row.last_seen_at -= dt.timedelta(seconds=app.config["SESSION_IDLE_TIMEOUT_SECONDS"] + 5)
        db.session.commit()
    assert worker.get("/").status_code == 302


def test_one_time_password_must_be_changed_first(app: Flask) -> None:
    with app.app_context():
        make_user("worker", username="tuan", must_change_password=True)
    client = app.test_client()
    log_in(client, "tuan")
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/password")
    page = client.get("/auth/password").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    short = client.post(
        "/auth/password", data={"csrf_token": token, "current": PASSWORD, "new": "short", "confirm": "short"}
    )
    assert "ít nhất 12 ký tự" in short.get_data(as_text=True)
    new = "a long and memorable phrase"
    client.post("/auth/password", data={"csrf_token": token, "current": PASSWORD, "new": new, "confirm": new})
    assert client.get("/").status_code == 200
    with app.app_context():
        assert not User.query.filter_by(username="tuan").one().must_change_password


def test_login_rejects_foreign_next_urls(app: Flask) -> None:
    with app.app_context():
        make_user("worker", username="thu")
    for target in ("//evil.example/x", "/\\evil.example/x", "https://evil.example/", "/\\/evil.example"):
        client = app.test_client()
        page = client.get("/auth/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        response = client.post(
            "/auth/login",
            query_string={"next": target},
            data={"username": "thu", "password": PASSWORD, "csrf_token": token},
        )
        assert response.headers["Location"] == "/", target
