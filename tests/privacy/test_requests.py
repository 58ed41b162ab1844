"""Data-subject rights: a copy for the person, correction, restriction and erasure, each registered."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from caseapp.clients.models import Client
from caseapp.core.audit import AuditEvent
from caseapp.core.crypto import blind_index
from caseapp.extensions import db
from caseapp.privacy.models import DataSubjectRequest
from tests.factories import WARD_A, WARD_B
from tests.security.world import WardRecords, populate_ward


@pytest.fixture
def ward_a(app: Flask) -> WardRecords:
    with app.app_context():
        return populate_ward(WARD_A, "CANARYPA7")


def page_form_token(staff, url: str) -> str:  # type: ignore[no-untyped-def]
    page = staff.get(url).get_data(as_text=True)
    match = re.search(r'name="(?:[\w-]+-)?csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, url
    return match.group(1)


def test_the_person_gets_a_copy_of_their_data_in_vietnamese(
    app: Flask, login_as, ward_a: WardRecords
) -> None:  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[WARD_A])
    response = supervisor.post(
        f"/privacy/clients/{ward_a.client_id}/copy", data={"copy-received_on": "2026-01-20"}
    )
    assert response.status_code == 200
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="du-lieu-ca-nhan-{ward_a.client_code}.html"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    copy = response.get_data(as_text=True)
    assert "Dữ liệu cá nhân của bạn" in copy and 'lang="vi"' in copy
    for value in ("-alias", "-client-notes", "-contact-notes", "-referral-notes", "-need-basis", "Hàng Bạc"):
        assert f"{ward_a.tag}{value}" in copy or value in copy, value
    assert ward_a.canaries[1] in copy  # the phone
    assert "http://" not in copy and "https://" not in copy and "<script" not in copy
    with app.app_context():
        request = DataSubjectRequest.query.one()
        assert (request.kind, str(request.received_on)) == ("access", "2026-01-20")
        event = AuditEvent.query.filter_by(action="privacy.access_copy").one()
        assert event.entity_id == str(ward_a.client_id) and event.ward_code == WARD_A


def test_only_the_supervisor_of_the_clients_ward_handles_requests(
    app: Flask, login_as, ward_a: WardRecords
) -> None:  # type: ignore[no-untyped-def]
    url = f"/privacy/clients/{ward_a.client_id}"
    for role in ("worker", "analyst", "admin"):
        assert login_as(role, wards=[WARD_A]).get(url).status_code == 403, role
    other = login_as("supervisor", wards=[WARD_B])
    assert other.get(url).status_code == 404
    assert other.post(f"{url}/copy", data={"copy-received_on": "2026-01-20"}).status_code == 404
    assert login_as("supervisor", wards=[WARD_A]).get(url).status_code == 200


def test_correction_changes_the_fields_and_their_blind_indexes(
    app: Flask, login_as, ward_a: WardRecords
) -> None:  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[WARD_A])
    url = f"/privacy/clients/{ward_a.client_id}/correct"
    form = supervisor.get(url).get_data(as_text=True)
    assert f"{ward_a.tag}-alias" in form  # the current values, to be corrected
    data = {
        "received_on": "2026-01-21",
        "alias": f"{ward_a.tag}-alias",
        "full_name": "Trần Thị Mới",
        "phone": "0987 654 321",
        "id_number": "",
        "date_of_birth": "1994-04-03",
        "address": f"{ward_a.tag} ngõ 5 phố Hàng Bạc",
    }
    assert supervisor.post(url, data=data).status_code == 302
    with app.app_context():
        client = db.session.get(Client, ward_a.client_id)
        assert (
            client.full_name == "Trần Thị Mới" and client.phone == "+84987654321" and client.id_number is None
        )
        assert client.phone_bidx == blind_index("phone", "0987654321") and client.id_number_bidx is None
        request = DataSubjectRequest.query.filter_by(kind="rectification").one()
        assert request.fields == ["full_name", "id_number", "phone"]
        assert str(request.received_on) == "2026-01-21"
        event = AuditEvent.query.filter_by(action="client.updated").one()
        assert event.details == {"fields": ["full_name", "id_number", "phone"]}
        # opening the form showed personal data: that view is audited too
        viewed = AuditEvent.query.filter_by(action="client.viewed").one()
        assert viewed.entity_id == str(ward_a.client_id) and viewed.ward_code == WARD_A


def test_a_correction_meets_the_clients_rules(app: Flask, login_as, ward_a: WardRecords) -> None:  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[WARD_A])
    url = f"/privacy/clients/{ward_a.client_id}/correct"
    response = supervisor.post(url, data={"received_on": "2026-01-21", "alias": "x", "phone": "12345"})
    assert response.status_code == 200 and "Đây không phải số điện thoại Việt Nam." in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert DataSubjectRequest.query.count() == 0
        assert db.session.get(Client, ward_a.client_id).alias == f"{ward_a.tag}-alias"


def test_a_request_cannot_be_dated_in_the_future(app: Flask, login_as, ward_a: WardRecords) -> None:  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[WARD_A])
    supervisor.post(
        f"/privacy/clients/{ward_a.client_id}/restriction", data={"restriction-received_on": "2999-01-01"}
    )
    with app.app_context():
        assert DataSubjectRequest.query.count() == 0
        assert not db.session.get(Client, ward_a.client_id).restricted


def test_restriction_and_its_lifting_are_registered_and_audited(
    app: Flask, login_as, ward_a: WardRecords
) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    supervisor = login_as("supervisor", wards=[WARD_A])
    new_contact = f"/clients/{ward_a.client_id}/contacts/new"
    assert worker.get(new_contact).status_code == 200
    url = f"/privacy/clients/{ward_a.client_id}/restriction"
    supervisor.post(url, data={"restriction-received_on": "2026-01-22"})
    assert worker.get(new_contact).status_code == 404  # nothing new is linked to a restricted client
    assert supervisor.get(f"/privacy/clients/{ward_a.client_id}").status_code == 200
    supervisor.post(url, data={"restriction-received_on": "2026-01-23"})
    assert worker.get(new_contact).status_code == 200
    with app.app_context():
        kinds = [r.kind for r in DataSubjectRequest.query.order_by(DataSubjectRequest.created_at)]
        assert kinds == ["restriction", "restriction_lifted"]
        assert AuditEvent.query.filter_by(action="privacy.restricted").count() == 1
        assert AuditEvent.query.filter_by(action="privacy.restriction_lifted").count() == 1


def test_workers_see_nothing_of_a_restricted_client(app: Flask, login_as, ward_a: WardRecords) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    supervisor = login_as("supervisor", wards=[WARD_A])
    supervisor.post(
        f"/privacy/clients/{ward_a.client_id}/restriction", data={"restriction-received_on": "2026-01-22"}
    )
    leaks = []
    for url in (
        f"/contacts/{ward_a.contact_id}",
        f"/referrals/{ward_a.referral_id}",
        "/contacts/",
        "/referrals/",
    ):
        response = worker.get(url)
        body = response.get_data(as_text=True)
        if response.status_code == 200 and (ward_a.tag in body or ward_a.client_code in body):
            leaks.append(url)
    assert leaks == []
