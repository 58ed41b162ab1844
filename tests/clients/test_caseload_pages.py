"""The caseload (home page of casework), code search, exact phone/CCCD search; constant query count."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from caseapp.users.models import User
from tests.clients.helpers import register
from tests.factories import WARD_A, WARD_B, make_client, programme_wards


@pytest.fixture(autouse=True)
def _programme(app: Flask) -> None:
    with app.app_context():
        programme_wards()


def new_client(app: Flask, user_id: int, ward: int = WARD_A, **fields: Any) -> tuple[uuid.UUID, str]:
    with app.app_context():
        client = register(db.session.get(User, user_id), ward, **fields)
        return client.id, client.code


def test_home_is_the_caseload_for_casework_roles(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    _, code = new_client(app, worker.user_id, alias="Hoa Canary")
    page = worker.get("/").get_data(as_text=True)
    assert 'data-testid="caseload-clients"' in page and code in page and "Hoa Canary" in page
    assert 'data-testid="register-client"' in page and "thân chủ của bạn" in page
    assert 'data-testid="follow-ups"' in page  # the contacts feature's section is included
    analyst = login_as("analyst")
    assert 'data-testid="caseload-clients"' not in analyst.get("/").get_data(as_text=True)
    assert analyst.get("/clients/").status_code == 403


def test_the_caseload_view_is_audited_with_ids_only(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    client_id, _ = new_client(app, worker.user_id, alias="Hoa Canary")
    worker.get("/clients/")
    with app.app_context():
        event_ = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "client.listed")).one()
        assert event_.details["client_ids"] == [str(client_id)] and "Canary" not in str(event_.details)


def test_worker_sees_their_wards_clients_theirs_first(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    colleague = login_as("worker", wards=[WARD_A])
    # aliases with diacritics: a plain "An" also turned up in the page's random CSRF token now and then
    new_client(app, colleague.user_id, alias="Ánh")
    new_client(app, worker.user_id, alias="Yến")
    new_client(app, login_as("worker", wards=[WARD_B]).user_id, WARD_B, alias="Ngoài phường")
    page = worker.get("/").get_data(as_text=True)
    assert page.index("Yến") < page.index("Ánh") and "Ngoài phường" not in page


def test_code_search_opens_the_client_in_scope_only(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    client_id, code = new_client(app, worker.user_id)
    _, other_code = new_client(app, login_as("worker", wards=[WARD_B]).user_id, WARD_B)
    found = worker.get("/clients/find", query_string={"code": code.lower().replace("-", " ")})
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/clients/{client_id}")
    for typed in (other_code, "HN-0000-00", ""):
        missed = worker.get("/clients/find", query_string={"code": typed}, follow_redirects=True)
        assert "mang mã này" in missed.get_data(as_text=True) and other_code not in missed.get_data(
            as_text=True
        )


def test_phone_search_is_posted_exact_and_never_echoed(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    _, code = new_client(app, worker.user_id, phone="0912345678", id_number="001198012345")
    new_client(app, login_as("worker", wards=[WARD_B]).user_id, WARD_B, phone="0912345678")
    assert worker.get("/clients/lookup").status_code == 405  # never through a URL
    response = worker.post("/clients/lookup", {"value": "091 234 5678"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.request.path == "/clients/lookup"
    assert code in page and page.count('data-testid="client-row"') == 1
    assert "091 234 5678" not in page and "0912345678" not in page and "912345678" not in page
    by_id = worker.post("/clients/lookup", {"value": "0011-9801-2345"}).get_data(as_text=True)
    assert code in by_id and "001198012345" not in by_id
    none = worker.post("/clients/lookup", {"value": "0987654321"}).get_data(as_text=True)
    assert "Không có thân chủ nào tại phường/xã của bạn có đúng" in none
    with app.app_context():
        searches = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "client.searched")).all()
        assert len(searches) == 3 and all("912345678" not in str(e.details) for e in searches)


@contextmanager
def counted_queries(app: Flask) -> Iterator[list[str]]:
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_caseload_query_count_does_not_grow_with_clients(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    colleagues = [login_as("worker", wards=[WARD_A]).user_id for _ in range(3)]

    def add(n: int) -> None:
        with app.app_context():
            for i in range(n):
                make_client(WARD_A, worker=db.session.get(User, colleagues[i % 3]), alias=f"Hoa {i}")

    def queries_for_home() -> int:
        worker.get("/")  # warm-up: first-request work is not what is measured
        with counted_queries(app) as statements:
            assert worker.get("/").status_code == 200
        return len(statements)

    add(3)
    few = queries_for_home()
    add(57)
    many = queries_for_home()
    assert many == few, (few, many)


def test_caseload_pages_by_50(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        for i in range(51):
            make_client(WARD_A, alias=f"Hoa {i:02d}")
    first = worker.get("/clients/").get_data(as_text=True)
    assert first.count('data-testid="client-row"') == 50 and "/clients/?page=2" in first
    second = worker.get("/clients/?page=2").get_data(as_text=True)
    assert second.count('data-testid="client-row"') == 1
    assert worker.get("/clients/?page=abc").status_code == 200
