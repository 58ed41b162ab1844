"""Client pages: registration with consent, client page, edit, needs, withdrawal; scoped, translated."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from caseapp.clients.models import Client
from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from caseapp.users.models import User
from tests.clients.helpers import TODAY, counts, register
from tests.factories import WARD_A, WARD_B, programme_wards


@pytest.fixture(autouse=True)
def _programme(app: Flask) -> None:
    with app.app_context():
        programme_wards()


def form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ward": str(WARD_A),
        "alias": "Hoa",
        "birth_year": "1998",
        "consent_given": "y",
        "purposes": ["case_management", "referral"],
        "data_categories": ["identity", "contact_details", "case_notes"],
        "consent_date": TODAY.isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def snapshot(app: Flask) -> dict[str, int]:
    with app.app_context():
        return counts()


def new_client(app: Flask, user_id: int, ward: int = WARD_A, **fields: Any) -> tuple[uuid.UUID, str]:
    """A client registered through the service by the user with this id: (id, code)."""
    with app.app_context():
        client = register(db.session.get(User, user_id), ward, **fields)
        return client.id, client.code


def test_registration_records_consent_first_and_opens_the_client_page(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    page = worker.get("/clients/new").get_data(as_text=True)
    assert "1. Sự đồng ý" in page and page.index("consent_given") < page.index('name="alias"')
    consent_inputs = re.findall(r'<input[^>]*name="(?:consent_given|purposes|data_categories)"[^>]*>', page)
    assert len(consent_inputs) == 9 and not any(
        "checked" in tag for tag in consent_inputs
    )  # nothing pre-ticked
    assert f'value="{TODAY.isoformat()}"' in page
    response = worker.post("/clients/new", form(phone="0912 345 678", notes="Ghi chú Canary"))
    assert response.status_code == 302
    with app.app_context():
        client = db.session.scalars(select(Client)).one()
        assert client.phone == "+84912345678" and client.consents[0].recorded_by == worker.user_id
        code, client_id = client.code, client.id
    assert response.headers["Location"].endswith(f"/clients/{client_id}")  # an id, nothing personal
    detail = worker.get(response.headers["Location"]).get_data(as_text=True)
    assert code in detail and "Hoa" in detail and "+84912345678" in detail and "Ghi chú Canary" in detail
    assert "đồng ý có hiệu lực từ" in detail
    with app.app_context():
        viewed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "client.viewed")).one()
        assert viewed.entity_id == str(client_id) and viewed.user_id == worker.user_id
        assert "Hoa" not in str(viewed.details) and "912345678" not in str(viewed.details)


def test_without_consent_the_form_points_to_an_anonymous_contact(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    before = snapshot(app)
    response = worker.post("/clients/new", form(consent_given=None, phone="0912345678"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Khi chưa có sự đồng ý cho việc quản lý trường hợp thì không đăng ký thân chủ" in page
    assert 'data-testid="anonymous-contact-link"' in page and "/contacts/anonymous" in page
    assert snapshot(app) == before


def test_a_field_outside_the_consent_is_refused_on_its_field(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    before = snapshot(app)
    page = worker.post("/clients/new", form(data_categories=["identity"], phone="0912345678")).get_data(
        as_text=True
    )
    assert re.search(r"Sự đồng ý chưa bao gồm: (Số )?[Đđ]iện thoại\.", page) and "Chưa có gì được lưu" in page
    assert snapshot(app) == before


def test_ward_choices_are_the_users_programme_wards(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A, WARD_B, 25])  # 25 is not in a programme cohort
    page = worker.get("/clients/new").get_data(as_text=True)
    options = re.findall(r'<option[^>]*value="(\d+)"', page)
    assert sorted(options) == sorted([str(WARD_A), str(WARD_B)])
    assert 'data-testid="no-programme-ward"' not in page
    outside = login_as("worker", wards=[25]).get("/clients/new").get_data(as_text=True)
    assert "Chưa có phường/xã nào bạn phụ trách thuộc chương trình" in outside
    before = snapshot(app)
    for ward in ("25", "70", "abc", ""):
        response = worker.post("/clients/new", form(ward=ward))
        assert response.status_code == 200
    assert snapshot(app) == before


BAD_INPUT = [
    ({"birth_year": "năm"}, "Nhập một số nguyên."),
    ({"birth_year": "1800"}, "Nhập năm sinh từ"),
    ({"consent_date": "31/02/2026"}, "ngày hợp lệ"),
    ({"consent_date": (TODAY + dt.timedelta(days=1)).isoformat()}, "ở tương lai."),
    (
        {"date_of_birth": (TODAY + dt.timedelta(days=1)).isoformat(), "birth_year": str(TODAY.year - 10)},
        "tương lai",
    ),
    ({"date_of_birth": "1997-05-05"}, "Ngày sinh không khớp với năm sinh."),
    ({"id_number": "12345678901"}, "Số CCCD gồm đúng 12 chữ số."),
    ({"phone": "12345"}, "Nhập số điện thoại Việt Nam"),
    ({"alias": "x" * 61}, "Tối đa 60 ký tự."),
    ({"notes": "x" * 2001}, "Tối đa 2000 ký tự."),
    ({"alias": "   "}, "Trường này là bắt buộc."),
    ({"purposes": ["case_management", "marketing"]}, "Hãy chọn một trong các lựa chọn có sẵn."),
    ({"sex": "robot"}, "Hãy chọn một trong các lựa chọn có sẵn."),
]


@pytest.mark.parametrize(("overrides", "expected"), BAD_INPUT)
def test_bad_registration_input_gets_a_message_and_changes_nothing(
    app: Flask, login_as, overrides, expected
) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    before = snapshot(app)
    response = worker.post("/clients/new", form(**overrides))
    assert response.status_code == 200 and expected in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_possible_duplicates_in_my_wards_show_the_code_only(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    _, code = new_client(app, worker.user_id, phone="0912345678", full_name="Canary Existing")
    before = snapshot(app)
    page = worker.post("/clients/new", form(phone="+84 912 345 678")).get_data(as_text=True)
    assert "Có thể đã có thân chủ trùng tại phường/xã của bạn:" in page and code in page
    assert "Canary Existing" not in page
    assert snapshot(app) == before
    assert worker.post("/clients/new", form(phone="0912345678", confirm_duplicate="y")).status_code == 302


def test_a_match_in_another_ward_gives_no_hint(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    other = login_as("worker", wards=[WARD_B])
    _, code = new_client(app, other.user_id, WARD_B, phone="0912345678", id_number="001198012345")
    worker = login_as("worker", wards=[WARD_A])
    response = worker.post("/clients/new", form(phone="0912345678", id_number="001198012345"))
    assert response.status_code == 302
    assert code not in worker.get(response.headers["Location"]).get_data(as_text=True)


def test_client_page_is_404_outside_scope(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    owner = login_as("worker", wards=[WARD_A])
    client_id, _ = new_client(app, owner.user_id)
    for role, wards in (("worker", [WARD_B]), ("supervisor", [WARD_B]), ("analyst", []), ("admin", [])):
        staff = login_as(role, wards=wards)
        for url in (f"/clients/{client_id}", f"/clients/{client_id}/edit", f"/clients/{client_id}/needs/new"):
            assert staff.get(url).status_code == 404, (role, url)
    assert owner.get(f"/clients/{uuid.uuid4()}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "client.viewed")) is None


def test_restricted_and_erased_records(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    supervisor = login_as("supervisor", wards=[WARD_A])
    client_id, _ = new_client(app, worker.user_id, phone="0912345678")
    response = worker.post(f"/clients/{client_id}/consent/withdraw", {"withdrawn_on": TODAY.isoformat()})
    assert response.status_code == 302 and response.headers["Location"].endswith("/clients/")
    assert worker.get(f"/clients/{client_id}").status_code == 404
    page = supervisor.get(f"/clients/{client_id}").get_data(as_text=True)
    assert 'data-testid="restricted-banner"' in page and "đã rút lại sự đồng ý ngày" in page
    edit_page = supervisor.get(f"/clients/{client_id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="phone"[^>]*readonly', edit_page)  # shown locked
    assert not re.search(r'<input[^>]*name="birth_year"[^>]*readonly', edit_page)  # statistics stay editable
    refused = supervisor.post(
        f"/clients/{client_id}/edit",
        {"alias": "Hoa", "birth_year": "1998", "phone": "0987654321", "version": "2"},
    )
    assert "không thể thay đổi dữ liệu cá nhân nữa" in refused.get_data(as_text=True)
    with app.app_context():
        client = db.session.get(Client, client_id)
        assert client is not None and client.phone == "+84912345678"
        client.erased_at, client.alias, client.phone = dt.datetime(2026, 1, 1), None, None
        db.session.commit()
        views = db.session.scalar(select(db.func.count()).where(AuditEvent.action == "client.viewed"))
    page = supervisor.get(f"/clients/{client_id}").get_data(as_text=True)
    assert 'data-testid="erased-banner"' in page and 'data-testid="edit-client"' not in page
    with app.app_context():  # no personal data shown, so no view of it recorded
        assert db.session.scalar(select(db.func.count()).where(AuditEvent.action == "client.viewed")) == views


def edit_form(page: str) -> dict[str, Any]:
    """The values an edit page was opened with, as a browser would post them back."""
    fields = dict(re.findall(r'<input[^>]*name="(alias|birth_year|version|phone)"[^>]*value="([^"]*)"', page))
    fields.update(
        dict(re.findall(r'<input[^>]*value="([^"]*)"[^>]*name="(alias|birth_year|version)"', page)[::-1])
    )
    return fields


def test_a_second_concurrent_save_is_refused_with_a_reload_message(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    first = login_as("worker", wards=[WARD_A])
    second = login_as("supervisor", wards=[WARD_A])
    client_id, _ = new_client(app, first.user_id)
    url = f"/clients/{client_id}/edit"
    page_one, page_two = first.get(url).get_data(as_text=True), second.get(url).get_data(as_text=True)
    assert re.search(r'name="version"[^>]*value="1"|value="1"[^>]*name="version"', page_one)
    base = {"alias": "Hoa", "birth_year": "1998", "version": "1"}
    assert first.post(url, {**base, "alias": "Hoa Một"}).status_code == 302
    refused = second.post(url, {**base, "alias": "Hoa Hai"})
    assert refused.status_code == 200 and "tải lại trang" in refused.get_data(as_text=True)
    assert page_two  # the second form was opened before the first save
    with app.app_context():
        client = db.session.get(Client, client_id)
        assert client is not None and client.alias == "Hoa Một" and client.version == 2


def test_needs_are_recorded_and_updated_from_the_client_page(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    client_id, _ = new_client(app, worker.user_id)
    need = {
        "category": "legal",
        "identified_on": TODAY.isoformat(),
        "eligible": "yes",
        "decided_on": TODAY.isoformat(),
    }
    assert worker.post(f"/clients/{client_id}/needs/new", need).status_code == 302
    page = worker.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Trợ giúp pháp lý" in page and "đủ điều kiện (" in page
    need_url = re.search(r'href="(/clients/[^"]+/needs/[0-9a-f-]{36})"', page)
    assert need_url is not None
    worker.post(need_url.group(1), {**need, "eligibility_basis": "Căn cứ Canary"})
    edit = worker.get(need_url.group(1)).get_data(as_text=True)
    assert "Chăm sóc y tế" not in edit and "Căn cứ Canary" in edit  # the category of a recorded need is fixed
    with app.app_context():  # the decrypted basis on the form is a view of personal data
        views = select(AuditEvent.details).where(AuditEvent.action == "client.viewed")
        assert {"page": "need"} in db.session.scalars(views).all()
    assert worker.post(need_url.group(1), {**need, "eligible": "no"}).status_code == 302
    before = snapshot(app)
    for bad, message in [
        ({"category": "astrology"}, "Hãy chọn một trong các lựa chọn có sẵn."),
        ({"category": "health", "eligible": "yes", "decided_on": ""}, "cần có cả kết quả có/không"),
        ({"category": "health", "identified_on": "2026-13-01"}, "ngày hợp lệ"),
        ({"category": "health", "eligibility_basis": "x" * 301}, "Tối đa 300 ký tự."),
    ]:
        response = worker.post(f"/clients/{client_id}/needs/new", {**need, **bad})
        assert response.status_code == 200 and message in response.get_data(as_text=True), bad
    assert snapshot(app) == before


def test_supervisor_reassigns_and_closes(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    colleague = login_as("worker", wards=[WARD_A])
    elsewhere = login_as("worker", wards=[WARD_B])
    supervisor = login_as("supervisor", wards=[WARD_A])
    client_id, _ = new_client(app, worker.user_id)
    page = supervisor.get(f"/clients/{client_id}").get_data(as_text=True)
    assert 'data-testid="reassign-form"' in page and f'value="{colleague.user_id}"' in page
    assert f'value="{elsewhere.user_id}"' not in page
    assert (
        worker.post(f"/clients/{client_id}/reassign", {"worker": colleague.user_id, "version": 1}).status_code
        == 403
    )
    refused = supervisor.post(
        f"/clients/{client_id}/reassign", {"worker": elsewhere.user_id, "version": 1}, follow_redirects=True
    )
    assert "Hãy chọn một trong các lựa chọn có sẵn." in refused.get_data(as_text=True)
    supervisor.post(f"/clients/{client_id}/reassign", {"worker": colleague.user_id, "version": 1})
    closed = supervisor.post(
        f"/clients/{client_id}/close",
        {"reason": "moved", "closed_on": TODAY.isoformat(), "version": 2},
        follow_redirects=True,
    )
    assert "Đã đóng hồ sơ." in closed.get_data(as_text=True)
    with app.app_context():
        client = db.session.get(Client, client_id)
        assert client is not None and client.worker_id == colleague.user_id and client.status == "closed"
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"client.reassigned", "client.closed"} <= actions


def test_pages_switch_to_english(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    client_id, _ = new_client(app, worker.user_id)
    worker.get("/lang/en")
    assert "Register a client" in worker.get("/").get_data(as_text=True)
    assert "1. Consent" in worker.get("/clients/new").get_data(as_text=True)
    assert "Needs and eligibility" in worker.get(f"/clients/{client_id}").get_data(as_text=True)


def test_supervisor_actions_return_to_a_local_page_only(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    colleague = login_as("worker", wards=[WARD_A])
    supervisor = login_as("supervisor", wards=[WARD_A])
    client_id, _ = new_client(app, worker.user_id)
    for next_url, expected in [
        ("//evil.example/x", f"/clients/{client_id}"),
        ("/\\evil.example/x", f"/clients/{client_id}"),
        ("https://evil.example/", f"/clients/{client_id}"),
        ("/indicators/review", "/indicators/review"),
    ]:
        body = {"worker": colleague.user_id, "version": 99, "next": next_url}  # a stale version: refused
        response = supervisor.post(f"/clients/{client_id}/reassign", body)
        assert response.headers["Location"].endswith(expected), next_url


def test_reopening_from_the_client_page(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    from caseapp.clients.supervision import close_client
    from tests.factories import make_user

    with app.app_context():
        worker, boss = make_user("worker", wards=[WARD_A]), make_user("supervisor", wards=[WARD_A])
        client = register(worker)
        close_client(client=client, actor=boss, reason="moved", closed_on=TODAY)
        client_id, version = client.id, client.version
        db.session.remove()
    supervisor = login_as("supervisor", wards=[WARD_A])
    page = supervisor.get(f"/clients/{client_id}").get_data(as_text=True)
    assert 'data-testid="reopen-form"' in page and "Mở lại hồ sơ" in page
    response = supervisor.post(
        f"/clients/{client_id}/reopen", {"version": str(version)}, follow_redirects=True
    )
    assert "Đã mở lại hồ sơ." in response.get_data(as_text=True)
    again = supervisor.post(
        f"/clients/{client_id}/reopen", {"version": str(version + 1)}, follow_redirects=True
    )
    assert "Hồ sơ này đang mở." in again.get_data(as_text=True)
    refused = login_as("worker", wards=[WARD_A]).post(f"/clients/{client_id}/reopen", {"version": "1"})
    assert refused.status_code == 403
