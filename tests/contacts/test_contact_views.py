"""Contact pages: the phone form, anonymous path, client picker, scoping (404, nothing written), languages."""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, Flask, render_template_string
from sqlalchemy import select

from caseapp.contacts.models import Contact
from caseapp.contacts.services import log_contact
from caseapp.core.access import Role, allow
from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from tests.conftest import log_in
from tests.contacts.helpers import TODAY, consented_client, counts, vi
from tests.factories import WARD_A, WARD_B, make_contact, make_user


def form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"contact_date": TODAY.isoformat(), "ward": str(WARD_A), "channel": "outreach"}
    data.update(overrides)
    return data


def all_contacts(app: Flask) -> list[Contact]:
    with app.app_context():
        return list(db.session.scalars(select(Contact)))


def snapshot(app: Flask) -> dict[str, int]:
    with app.app_context():
        return counts()


def test_anonymous_form_is_prefilled_so_one_tap_saves_it(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    page = worker.get("/contacts/anonymous").get_data(as_text=True)
    assert f'value="{TODAY.isoformat()}"' in page  # date defaults to today
    assert re.search(rf'<option selected value="{WARD_A}">', page)  # their only ward
    assert re.search(r'checked[^>]*value="outreach"|value="outreach"[^>]*checked', page)
    assert "Tiếp cận ẩn danh" in page and "Hẹn theo dõi tiếp" not in page
    fields = dict(re.findall(r'name="(contact_date|ward)"[^>]*value="([^"]*)"', page))
    response = worker.post("/contacts/anonymous", form(**fields))
    assert response.status_code == 302
    (contact,) = all_contacts(app)
    assert contact.client_id is None and contact.worker_id == worker.user_id


def test_worker_with_several_wards_must_choose_one(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A, WARD_B])
    page = worker.get("/contacts/anonymous").get_data(as_text=True)
    assert '<option selected value="">Chọn phường/xã</option>' in page
    response = worker.post("/contacts/anonymous", form(ward=""))
    assert response.status_code == 200 and vi(app, "This field is required.") in response.get_data(
        as_text=True
    )
    assert all_contacts(app) == []


def test_contact_from_the_client_page_links_the_client(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        client_id = consented_client().id
    follow = (TODAY + dt.timedelta(days=7)).isoformat()
    response = worker.post(
        f"/clients/{client_id}/contacts/new",
        form(topics=["health", "legal"], duration_minutes="25", notes="ghi chú", next_follow_up_on=follow),
    )
    assert response.status_code == 302
    (contact,) = all_contacts(app)
    assert contact.client_id == client_id and contact.topics == ["legal", "health"]
    assert contact.next_follow_up_on == TODAY + dt.timedelta(days=7) and contact.duration_minutes == 25


def test_client_picker_finds_only_clients_in_the_workers_wards(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        mine, theirs = consented_client(WARD_A), consented_client(WARD_B)
        mine_code, mine_id, theirs_code = mine.code, mine.id, theirs.code
    for code in ("HN-NOPE-00", theirs_code):
        response = worker.post("/contacts/new", form(client_code=code))
        assert vi(app, "No client with this code in your wards.") in response.get_data(as_text=True)
    assert all_contacts(app) == []
    assert worker.post("/contacts/new", form(client_code=mine_code.lower())).status_code == 302
    assert [c.client_id for c in all_contacts(app)] == [mine_id]


def test_another_wards_client_or_contact_is_404_and_nothing_is_written(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        other = consented_client(WARD_B)
        other_contact = make_contact(TODAY, client=other, next_follow_up_on=TODAY)
        other_id, other_contact_id = other.id, other_contact.id
    before = snapshot(app)
    assert worker.get(f"/clients/{other_id}/contacts/new").status_code == 404
    assert worker.post(f"/clients/{other_id}/contacts/new", form()).status_code == 404
    assert worker.get(f"/contacts/{other_contact_id}").status_code == 404
    assert worker.post(f"/contacts/{other_contact_id}/follow-up-done").status_code == 404
    assert snapshot(app) == before
    with app.app_context():
        assert db.session.get(Contact, other_contact_id).follow_up_done is False


def test_another_ward_in_the_form_body_is_refused(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    before = snapshot(app)
    response = worker.post("/contacts/anonymous", form(ward=str(WARD_B)))
    assert response.status_code == 200 and vi(app, "Choose one of the options shown.") in response.get_data(
        as_text=True
    )
    assert snapshot(app) == before


def test_bad_input_gets_translated_messages_and_changes_nothing(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        client_id = consented_client().id
    url = f"/clients/{client_id}/contacts/new"
    cases = {
        vi(app, "The date cannot be in the future."): form(
            contact_date=(TODAY + dt.timedelta(days=1)).isoformat()
        ),
        vi(app, "Enter a valid date (dd/mm/yyyy)."): form(contact_date="31/02/2026"),
        vi(app, "The follow-up cannot be before the contact."): form(
            next_follow_up_on=(TODAY - dt.timedelta(days=1)).isoformat()
        ),
        vi(app, "Choose one of the options shown."): form(channel="fax", topics=["astrology"]),
        vi(app, "Between 1 and 600 minutes."): form(duration_minutes="9999"),
        vi(app, "Enter a whole number."): form(duration_minutes="mười"),
        vi(app, "At most %(max)d characters.", max=2000): form(notes="x" * 2001),
        vi(app, "The date is too far in the past; check the year."): form(contact_date="2016-05-01"),
    }
    before = snapshot(app)
    for message, data in cases.items():
        response = worker.post(url, data)
        assert response.status_code == 200, message
        assert message in response.get_data(as_text=True), message
    assert snapshot(app) == before


def test_closed_case_refuses_a_contact_with_a_message(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        client_id = consented_client(status="closed").id
    before = snapshot(app)
    response = worker.post(f"/clients/{client_id}/contacts/new", form())
    assert vi(app, "This case is closed: it takes no new contacts. Reopen it first.") in response.get_data(
        as_text=True
    )
    assert snapshot(app) == before


def test_analysts_and_admins_never_reach_contacts(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        contact_id = make_contact(TODAY, notes="x").id
    for role in ("analyst", "admin"):
        staff = login_as(role)
        for url in ("/contacts/", "/contacts/new", "/contacts/anonymous", f"/contacts/{contact_id}"):
            assert staff.get(url).status_code == 403, (role, url)


def test_list_shows_codes_not_notes_and_detail_view_is_audited(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    canary = "CANARY-notes-5512"
    with app.app_context():
        client = consented_client()
        contact_id = make_contact(TODAY, client=client, notes=canary).id
        code = client.code
    page = worker.get("/contacts/").get_data(as_text=True)
    assert code in page and canary not in page
    assert canary in worker.get(f"/contacts/{contact_id}").get_data(as_text=True)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contact.viewed")).one()
        assert event.entity_id == str(contact_id) and canary not in str(event.details)


def test_follow_ups_due_show_for_their_worker_and_can_be_marked_done(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        colleague = make_user("worker", wards=[WARD_A])
        mine = consented_client(worker_id=worker.user_id)
        theirs = consented_client(worker_id=colleague.id)
        overdue = make_contact(
            TODAY - dt.timedelta(days=9), client=mine, next_follow_up_on=TODAY - dt.timedelta(days=2)
        )
        make_contact(TODAY, client=theirs, worker=colleague, next_follow_up_on=TODAY)
        make_contact(TODAY, client=mine, next_follow_up_on=TODAY + dt.timedelta(days=30))  # not due yet
        codes = (mine.code, theirs.code)
        overdue_id = overdue.id
    page = worker.get("/contacts/").get_data(as_text=True)
    section = page.split('data-testid="follow-ups"')[1].split("</div>")[0]
    assert codes[0] in section and codes[1] not in section and "quá hạn" in section
    assert section.count('data-testid="follow-up-done"') == 1
    response = worker.post(f"/contacts/{overdue_id}/follow-up-done", {"next": "/contacts/"})
    assert response.status_code == 302 and response.headers["Location"] == "/contacts/"
    assert vi(app, "No follow-ups due.") in worker.get("/contacts/").get_data(as_text=True)


def test_the_caseload_shows_the_twenty_most_overdue_follow_ups_and_says_there_are_more(
    app: Flask, login_as
) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        client = consented_client(worker_id=worker.user_id)
        for days in range(1, 23):  # 22 overdue, the oldest 22 days ago
            make_contact(
                TODAY - dt.timedelta(days=30),
                client=client,
                next_follow_up_on=TODAY - dt.timedelta(days=days),
            )
    section = worker.get("/contacts/").get_data(as_text=True).split('data-testid="follow-ups"')[1]
    section = section.split("</div>")[0]
    assert section.count('data-testid="follow-up-done"') == 20
    assert 'data-testid="follow-ups-more"' in section
    oldest = (TODAY - dt.timedelta(days=22)).strftime("%d/%m/%Y")
    newest = (TODAY - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    assert oldest in section and newest not in section  # the most overdue first


def test_supervisor_sees_every_follow_up_of_their_wards(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[WARD_A])
    with app.app_context():
        a, b = consented_client(WARD_A), consented_client(WARD_B)
        make_contact(TODAY, client=a, next_follow_up_on=TODAY)
        make_contact(TODAY, client=b, next_follow_up_on=TODAY)
        codes = (a.code, b.code)
    page = supervisor.get("/contacts/").get_data(as_text=True)
    assert codes[0] in page and codes[1] not in page


def test_partials_render_for_the_client_and_caseload_pages(app: Flask, make_app) -> None:  # type: ignore[no-untyped-def]
    probe = make_app()
    extra = Blueprint("probe_contacts", __name__)

    @extra.route("/probe/client/<uuid:client_id>")
    @allow(Role.WORKER, scoped=True)
    def client_section(client_id: object) -> str:
        from flask_login import current_user

        from caseapp.clients.queries import get_client_or_404

        client = get_client_or_404(current_user, client_id)  # type: ignore[arg-type]
        return render_template_string(
            '{% include "contacts/_client_section.html" %}{% include "contacts/_caseload_followups.html" %}',
            client=client,
            user=current_user,
        )

    probe.register_blueprint(extra)
    with probe.app_context():
        worker = make_user("worker", wards=[WARD_A], username="probeworker")
        client = consented_client(worker_id=worker.id)
        log_contact(
            actor=worker,
            client=client,
            ward_code=WARD_A,
            contact_date=TODAY,
            channel="phone",
            topics=["legal"],
            notes="ghi chú riêng",
            next_follow_up_on=TODAY,
        )
        make_contact(TODAY, notes="anonymous, not on the client page")
        client_id, code = client.id, client.code
    browser = probe.test_client()
    log_in(browser, "probeworker")
    page = browser.get(f"/probe/client/{client_id}").get_data(as_text=True)
    assert "Trợ giúp pháp lý" in page and "ghi chú riêng" in page and "not on the client page" not in page
    assert page.count(code) >= 1 and f"/clients/{client_id}/contacts/new" in page


def test_pages_are_vietnamese_by_default_and_switch_to_english(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    page = worker.get("/contacts/anonymous").get_data(as_text=True)
    assert "Tiếp cận ẩn danh" in page and "Hình thức" in page
    worker.get("/lang/en")
    page = worker.get("/contacts/anonymous").get_data(as_text=True)
    assert "Anonymous contact" in page and "Channel" in page and "Hình thức" not in page
