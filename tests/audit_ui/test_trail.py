"""The supervisors' audit trail: their wards only, filtered by staff member, client code and date."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from caseapp.clients.services import record_client_view
from caseapp.core import audit
from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from tests.factories import WARD_A, WARD_B, make_user
from tests.security.world import canary_client


@pytest.fixture
def views(app: Flask) -> dict[str, object]:
    """Two workers of ward A look at client A; a worker of ward B looks at client B."""
    with app.app_context():
        lan = make_user("worker", wards=[WARD_A], username="lan-a")
        minh = make_user("worker", wards=[WARD_A], username="minh-a")
        other = make_user("worker", wards=[WARD_B], username="other-b")
        client_a = canary_client(WARD_A, "CANARYTRAILA", code="HN-AAAA-22")
        client_b = canary_client(WARD_B, "CANARYTRAILB", code="HN-BBBB-33")
        db.session.commit()
        record_client_view(client=client_a, actor=lan)
        record_client_view(client=client_a, actor=minh)
        record_client_view(client=client_b, actor=other)
        return {"lan": lan.id, "minh": minh.id, "client_a": client_a.id, "client_b": client_b.id}


def test_a_supervisor_sees_the_trail_of_their_wards_only(app: Flask, login_as, views) -> None:  # type: ignore[no-untyped-def]
    page = login_as("supervisor", wards=[WARD_A]).get("/audit/").get_data(as_text=True)
    assert "HN-AAAA-22" in page and "lan-a" in page and "minh-a" in page
    assert "HN-BBBB-33" not in page and "other-b" not in page
    assert "CANARYTRAIL" not in page  # codes and field names, never personal values
    assert "Mở dữ liệu cá nhân của đối tượng" in page


def test_who_looked_at_this_client_and_when(app: Flask, login_as, views) -> None:  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[WARD_A])
    page = supervisor.get("/audit/?client=hn-aaaa-22").get_data(as_text=True)
    assert page.count("HN-AAAA-22") >= 2 and "lan-a" in page and "minh-a" in page
    only_lan = supervisor.get(f"/audit/?client=HN-AAAA-22&user={views['lan']}").get_data(as_text=True)
    assert "lan-a" in only_lan and "minh-a" not in only_lan.split("<tbody>")[1]
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    later = supervisor.get(f"/audit/?client=HN-AAAA-22&date_from={tomorrow}").get_data(as_text=True)
    assert "Không có sự kiện nào phù hợp." in later


def test_a_code_from_another_ward_finds_nothing(app: Flask, login_as, views) -> None:  # type: ignore[no-untyped-def]
    page = login_as("supervisor", wards=[WARD_A]).get("/audit/?client=HN-BBBB-33").get_data(as_text=True)
    assert "Không có thân chủ nào mang mã này" in page
    assert "HN-BBBB-33" not in page.split("<tbody>")[1] and "other-b" not in page


def test_only_supervisors_open_the_trail(login_as) -> None:  # type: ignore[no-untyped-def]
    for role in ("worker", "analyst", "admin"):
        assert login_as(role, wards=[WARD_A]).get("/audit/").status_code == 403, role


def test_reading_the_trail_is_audited_with_the_kinds_of_filter(app: Flask, login_as, views) -> None:  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[WARD_A])
    supervisor.get("/audit/?client=HN-AAAA-22&date_from=2026-01-01")
    with app.app_context():
        event = AuditEvent.query.filter_by(action="audit.viewed").one()
        assert event.user_id == supervisor.user_id and event.details == {"filters": ["client", "date_from"]}


def test_the_trail_pages_back_through_older_events(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        for n in range(105):
            audit.record("contact.created", entity_type="contact", entity_id=f"c{n}", ward_code=WARD_A)
        db.session.commit()
    supervisor = login_as("supervisor", wards=[WARD_A])
    first = supervisor.get("/audit/").get_data(as_text=True)
    assert "Sự kiện cũ hơn" in first
    older = first.split('href="/audit/?before=')[1].split('"')[0]
    second = supervisor.get(f"/audit/?before={older}").get_data(as_text=True)
    assert "Sự kiện cũ hơn" not in second and second.count('<small class="muted">contact.created') == 5


def test_opening_a_client_page_is_audited_and_shows_in_the_trail(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        client = canary_client(WARD_A, "CANARYOPENED", code="HN-CCCC-44")
        db.session.commit()
        client_id = client.id
    worker = login_as("worker", wards=[WARD_A], username="opener-a")
    page = worker.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "CANARYOPENED" in page  # the page shows personal data...
    with app.app_context():
        event = AuditEvent.query.filter_by(action="client.viewed").one()  # ...so the view is audited
        assert (event.user_id, event.entity_id, event.ward_code) == (worker.user_id, str(client_id), WARD_A)
    trail = login_as("supervisor", wards=[WARD_A]).get("/audit/?client=HN-CCCC-44").get_data(as_text=True)
    assert "opener-a" in trail and "Mở dữ liệu cá nhân của đối tượng" in trail
