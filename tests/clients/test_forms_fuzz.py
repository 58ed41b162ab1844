"""Random form data posted to every client form: never a 5xx, never a partial write.

A response that reports an error (the form shown again, or a redirect carrying an error message) must leave
every client table and the audit trail (views of personal data aside) exactly as they were; a success
writes whole records only: a client with its consent, one audit event per change.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from caseapp.clients.models import Client, Consent, ConsentPurpose, DataCategory, Need, ServiceCategory, Sex
from caseapp.clients.needs import NeedDetails, record_need
from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from caseapp.users.models import User
from tests.clients.helpers import TODAY, register
from tests.conftest import Staff
from tests.contacts.fuzz import form_data
from tests.factories import WARD_A, WARD_B, programme_wards

VIEW_ACTIONS = ("client.viewed", "client.listed", "client.searched")
SETTINGS = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
DETAILS_FIELDS: dict[str, list[str]] = {
    "alias": ["Hoa"],
    "birth_year": ["1998", str(TODAY.year - 5)],
    "sex": [s.value for s in Sex],
    "migrant": ["", "yes", "no"],
    "full_name": ["Nguyễn Thị Hoa"],
    "phone": ["0912345678", "+84 24 3823 4567"],
    "id_number": ["001198012345", "00119801234"],
    "date_of_birth": ["1998-02-03"],
    "address": ["Hà Nội"],
    "notes": ["ghi chú"],
}
REGISTER_FIELDS = {
    **DETAILS_FIELDS,
    "ward": [str(WARD_A), str(WARD_B)],
    "consent_given": ["y"],
    "purposes": [p.value for p in ConsentPurpose],
    "data_categories": [c.value for c in DataCategory],
    "consent_date": [TODAY.isoformat()],
    "confirm_duplicate": ["y"],
}
REGISTER_VALID: dict[str, object] = {
    "ward": str(WARD_A),
    "alias": "Hoa",
    "birth_year": "1998",
    "consent_given": "y",
    "purposes": ["case_management"],
    "data_categories": ["identity", "contact_details", "case_notes"],
    "consent_date": TODAY.isoformat(),
}
NEED_FIELDS = {
    "category": [c.value for c in ServiceCategory],
    "identified_on": [TODAY.isoformat()],
    "eligible": ["", "yes", "no"],
    "decided_on": [TODAY.isoformat()],
    "eligibility_basis": ["căn cứ"],
    "met_on": [TODAY.isoformat()],
}
NEED_VALID: dict[str, object] = {"category": "health", "identified_on": TODAY.isoformat()}


@dataclass(frozen=True)
class State:
    """Everything a client form may change, compared before and after a post."""

    rows: tuple[int, int, int, int]  # clients, consents, needs, audit events other than views
    client: tuple[Any, ...]
    needs: tuple[tuple[Any, ...], ...]


def state(client_id: uuid.UUID | None) -> State:
    count = lambda model: int(db.session.scalar(select(func.count()).select_from(model)) or 0)  # noqa: E731
    audit = select(func.count()).select_from(AuditEvent).where(AuditEvent.action.not_in(VIEW_ACTIONS))
    rows = (count(Client), count(Consent), count(Need), int(db.session.scalar(audit) or 0))
    client = db.session.get(Client, client_id) if client_id else None
    fields = ("version", "alias", "phone", "worker_id", "status", "restricted", "birth_year", "sex")
    shown = tuple(getattr(client, f) for f in fields) if client else ()
    need_rows = client.needs if client else []
    needs = tuple((n.category, n.eligible, n.eligibility_decided_on, n.met_on) for n in need_rows)
    db.session.remove()
    return State(rows, shown, needs)


def check_post(
    app: Flask, staff: Staff, url: str, data: dict[str, object], client_id: uuid.UUID | None
) -> None:
    """Post `data`; an error leaves everything as it was, a success writes whole, audited records."""
    with app.app_context():
        before = state(client_id)
    response = staff.post(url, data)
    assert response.status_code < 500, (url, data)
    error = response.status_code != 302
    if response.status_code == 302:
        landing = staff.get(response.headers["Location"])
        assert landing.status_code < 500
        error = "flash-error" in landing.get_data(as_text=True)
    with app.app_context():
        after = state(client_id)
    if error:
        assert after == before, (url, data)
        return
    added = [a - b for a, b in zip(after.rows, before.rows, strict=True)]
    assert added[0] == added[1] and added[0] in (0, 1), (url, data)  # a client comes with its consent
    assert added[2] in (0, 1) and added[3] in (0, 1), (url, data)
    if added[3] == 0:  # nothing audited means nothing written
        assert after == before, (url, data)
    with app.app_context():
        assert broken_rules() == [], (url, data)


def broken_rules() -> list[str]:
    """Rules every stored client and need meets, whatever was posted."""
    problems = []
    for client in db.session.scalars(select(Client)):
        categories = {c for consent in client.consents for c in consent.data_categories}
        if client.ward_code != WARD_A or not client.consents:
            problems.append(f"{client.code}: ward or consent")
        if client.phone is not None and (
            "contact_details" not in categories or not client.phone.startswith("+84")
        ):
            problems.append(f"{client.code}: phone")
        if client.id_number is not None and not (client.id_number.isdigit() and len(client.id_number) == 12):
            problems.append(f"{client.code}: id number")
        if client.date_of_birth is not None and client.date_of_birth.year != client.birth_year:
            problems.append(f"{client.code}: date of birth")
    for need in db.session.scalars(select(Need)):
        decided, met = need.eligibility_decided_on, need.met_on
        if need.identified_on > TODAY or (need.eligible is None) != (decided is None):
            problems.append(f"need {need.id}: identified or decided")
        if any(d is not None and not need.identified_on <= d <= TODAY for d in (decided, met)):
            problems.append(f"need {need.id}: dates out of order")
    db.session.remove()
    return problems


def live_client(app: Flask, worker_id: int) -> tuple[uuid.UUID, uuid.UUID]:
    """A fresh consented client with one need, so every example meets a client the forms can act on."""
    with app.app_context():
        client = register(db.session.get(User, worker_id))
        need = record_need(
            client=client,
            actor=db.session.get(User, worker_id),  # type: ignore[arg-type]
            need=NeedDetails(category="legal", identified_on=TODAY, eligible=True, decided_on=TODAY),
        )
        return client.id, need.id


def test_random_registrations(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        programme_wards()
    worker = login_as("worker", wards=[WARD_A])

    @SETTINGS
    @given(data=form_data(REGISTER_FIELDS, REGISTER_VALID))
    def run(data: dict[str, object]) -> None:
        check_post(app, worker, "/clients/new", data, None)

    run()


def test_random_posts_to_a_clients_forms(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        programme_wards()
    worker = login_as("worker", wards=[WARD_A])
    edit_valid = {"alias": "Hoa", "birth_year": "1998", "version": "2"}
    forms = {
        "edit": ({**DETAILS_FIELDS, "version": ["1", "2", "3"]}, edit_valid),
        "needs/new": (NEED_FIELDS, NEED_VALID),
        "need": (NEED_FIELDS, {**NEED_VALID, "category": "legal"}),
        "consent/withdraw": ({"withdrawn_on": [TODAY.isoformat()]}, {"withdrawn_on": TODAY.isoformat()}),
    }

    @SETTINGS
    @given(form=st.sampled_from(sorted(forms)), data=st.data())
    def run(form: str, data: st.DataObject) -> None:
        client_id, need_id = live_client(app, worker.user_id)
        body = data.draw(form_data(*forms[form]))
        path = f"needs/{need_id}" if form == "need" else form
        check_post(app, worker, f"/clients/{client_id}/{path}", body, client_id)

    run()


def test_random_supervisor_actions(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        programme_wards()
    worker = login_as("worker", wards=[WARD_A])
    colleague = login_as("worker", wards=[WARD_A])
    elsewhere = login_as("worker", wards=[WARD_B])
    supervisor = login_as("supervisor", wards=[WARD_A])
    people = [str(u.user_id) for u in (worker, colleague, elsewhere, supervisor)]
    forms = {
        "reassign": ({"worker": people, "version": ["1", "2", "3"]}, {"worker": people[1], "version": "2"}),
        "close": (
            {"reason": ["moved", "deceased", "bored"], "closed_on": [TODAY.isoformat()], "version": ["2"]},
            {"reason": "moved", "closed_on": TODAY.isoformat(), "version": "2"},
        ),
    }

    @SETTINGS
    @given(form=st.sampled_from(sorted(forms)), data=st.data())
    def run(form: str, data: st.DataObject) -> None:
        client_id, _ = live_client(app, worker.user_id)
        check_post(
            app, supervisor, f"/clients/{client_id}/{form}", data.draw(form_data(*forms[form])), client_id
        )

    run()


def test_random_searches(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        programme_wards()
    worker = login_as("worker", wards=[WARD_A])
    client_id, _ = live_client(app, worker.user_id)
    with app.app_context():
        code = db.session.get(Client, client_id).code  # type: ignore[union-attr]
        before = state(client_id)

    @SETTINGS
    @given(data=form_data({"value": ["0912345678", "001198012345", code]}), page=st.text(max_size=12))
    def run(data: dict[str, object], page: str) -> None:
        assert worker.post("/clients/lookup", data).status_code < 500
        assert worker.get("/clients/find", query_string={"code": data.get("value", "")}).status_code < 500
        assert worker.get("/clients/", query_string={"page": page}).status_code < 500

    run()
    with app.app_context():
        assert state(client_id) == before  # searching writes nothing but its audit event
