"""Referral pages: refer from the client page, follow the status and its history, scoping, messages."""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, Flask, render_template_string
from sqlalchemy import select, update

from caseapp.clients.models import Client
from caseapp.core.access import Role, allow
from caseapp.extensions import db
from caseapp.referrals.models import Referral
from caseapp.referrals.services import change_status, refer_client
from tests.conftest import log_in
from tests.contacts.helpers import TODAY, consented_client, counts, make_provider, user, vi
from tests.factories import WARD_A, WARD_B, make_contact, make_user


def referrals(app: Flask) -> list[Referral]:
    with app.app_context():
        return list(db.session.scalars(select(Referral)))


def snapshot(app: Flask) -> dict[str, int]:
    with app.app_context():
        return counts()


def make_referral_for(worker_id: int, ward: int = WARD_A, *, days_ago: int = 3) -> tuple[object, object]:
    client = consented_client(ward)
    referral = refer_client(
        actor=user(worker_id),
        client=client,
        category="legal",
        provider=None,
        referred_on=TODAY - dt.timedelta(days=days_ago),
    )
    return referral.id, client.id


def test_refer_from_the_client_page_with_providers_of_the_ward(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        client_id = consented_client().id
        here = make_provider(name="Gần đây (ví dụ)", categories=["legal"], wards=[WARD_A]).id
        make_provider(name="Phường khác (ví dụ)", categories=["legal"], wards=[WARD_B])
    page = worker.get(f"/clients/{client_id}/referrals/new?category=legal").get_data(as_text=True)
    assert "Gần đây (ví dụ)" in page and "Phường khác (ví dụ)" not in page
    assert 'data-categories="legal"' in page and "js/referrals.js" in page
    assert re.search(r'checked[^>]*value="legal"|value="legal"[^>]*checked', page)
    body = {"category": "legal", "provider": str(here), "referred_on": TODAY.isoformat(), "notes": "n"}
    response = worker.post(f"/clients/{client_id}/referrals/new", body)
    assert response.status_code == 302
    (referral,) = referrals(app)
    assert referral.provider_id == here and referral.client_id == client_id
    assert response.headers["Location"] == f"/referrals/{referral.id}"


def test_bad_referral_input_gets_translated_messages_and_changes_nothing(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        client_id = consented_client().id
        other_ward = make_provider(categories=["legal"], wards=[WARD_B]).id
        wrong_service = make_provider(categories=["health"], wards=[WARD_A]).id
    good = {"category": "legal", "referred_on": TODAY.isoformat()}
    cases = {
        vi(app, "Choose one of the options shown."): [
            {**good, "category": "astrology"},
            {**good, "provider": str(other_ward)},
            {**good, "provider": "abc"},
        ],
        vi(app, "This provider does not offer this service in the client's ward."): [
            {**good, "provider": str(wrong_service)}
        ],
        vi(app, "The date cannot be in the future."): [
            {**good, "referred_on": (TODAY + dt.timedelta(days=2)).isoformat()}
        ],
        vi(app, "Enter a valid date (dd/mm/yyyy)."): [{**good, "referred_on": "hôm qua"}],
        vi(app, "This field is required."): [{"referred_on": TODAY.isoformat()}],
        vi(app, "At most %(max)d characters.", max=2000): [{**good, "notes": "x" * 2001}],
    }
    before = snapshot(app)
    for message, bodies in cases.items():
        for body in bodies:
            page = worker.post(f"/clients/{client_id}/referrals/new", body).get_data(as_text=True)
            assert message in page, (message, body)
    assert snapshot(app) == before


def test_another_wards_client_or_referral_is_404_and_nothing_is_written(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        colleague = make_user("worker", wards=[WARD_B])
        referral_id, client_id = make_referral_for(colleague.id, WARD_B)
        version = db.session.get(Referral, referral_id).version
    before = snapshot(app)
    body = {"category": "legal", "referred_on": TODAY.isoformat()}
    assert worker.get(f"/clients/{client_id}/referrals/new").status_code == 404
    assert worker.post(f"/clients/{client_id}/referrals/new", body).status_code == 404
    assert worker.get(f"/referrals/{referral_id}").status_code == 404
    status = {"status": "accepted", "occurred_on": TODAY.isoformat(), "version": str(version)}
    assert worker.post(f"/referrals/{referral_id}/status", status).status_code == 404
    assert snapshot(app) == before


def test_follow_a_referral_to_received_with_its_history(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        referral_id, _ = make_referral_for(worker.user_id)
    page = worker.get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert 'data-testid="status-accepted"' in page and 'data-testid="status-received"' not in page
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    worker.post(
        f"/referrals/{referral_id}/status",
        {"status": "accepted", "occurred_on": yesterday, "version": version},
    )
    page = worker.get(f"/referrals/{referral_id}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    response = worker.post(
        f"/referrals/{referral_id}/status",
        {"status": "received", "occurred_on": TODAY.isoformat(), "version": version},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Đã lưu trạng thái: Đã sử dụng dịch vụ." in page
    history = page.split('data-testid="referral-history"')[1]
    assert (
        history.index("Đã chuyển gửi")
        < history.index("Nhà cung cấp đã tiếp nhận")
        < history.index("Đã sử dụng")
    )
    (referral,) = referrals(app)
    assert referral.received_on == TODAY and referral.status == "received"


def test_invalid_transition_and_stale_version_are_refused_with_messages(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        referral_id, _ = make_referral_for(worker.user_id)
        version = db.session.get(Referral, referral_id).version
    jump = {"status": "received", "occurred_on": TODAY.isoformat(), "version": str(version)}
    page = worker.post(f"/referrals/{referral_id}/status", jump, follow_redirects=True).get_data(as_text=True)
    assert (
        "Lượt chuyển gửi đang ở trạng thái “Đã chuyển gửi” không thể chuyển sang “Đã sử dụng dịch vụ”."
        in page
    )
    with app.app_context():
        referral = db.session.get(Referral, referral_id)
        change_status(
            actor=user(worker.user_id),
            referral=referral,
            status="accepted",
            occurred_on=TODAY,
            expected_version=version,
        )  # a colleague's save in between
    stale = {"status": "cancelled", "occurred_on": TODAY.isoformat(), "version": str(version)}
    page = worker.post(f"/referrals/{referral_id}/status", stale, follow_redirects=True).get_data(
        as_text=True
    )
    assert vi(app, "Someone else changed this referral meanwhile. Check its history and try again.") in page
    future = {"status": "received", "occurred_on": "2999-01-01", "version": str(version + 1)}
    page = worker.post(f"/referrals/{referral_id}/status", future, follow_redirects=True).get_data(
        as_text=True
    )
    assert vi(app, "The date cannot be in the future.") in page
    with app.app_context():
        stored = db.session.get(Referral, referral_id)
        assert stored.status == "accepted" and len(stored.events) == 2


def test_waiting_list_flags_referrals_over_30_days(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        make_referral_for(worker.user_id, days_ago=45)
        make_referral_for(worker.user_id, days_ago=2)
        colleague = make_user("worker", wards=[WARD_A])
        make_referral_for(colleague.id, days_ago=50)  # a colleague's referral of a client not assigned to us
    page = worker.get("/referrals/").get_data(as_text=True)
    waiting = page.split("Đang chờ nhà cung cấp dịch vụ")[1].split("</section>")[0]
    assert waiting.count('<li class="row">') == 2 and waiting.count("quá 30 ngày") == 1


def test_analysts_and_admins_never_reach_referrals(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        worker = make_user("worker")
        referral_id, client_id = make_referral_for(worker.id)
    for role in ("analyst", "admin"):
        staff = login_as(role)
        for url in ("/referrals/", f"/referrals/{referral_id}", f"/clients/{client_id}/referrals/new"):
            assert staff.get(url).status_code == 403, (role, url)


def test_partials_render_for_the_client_and_caseload_pages(app: Flask, make_app) -> None:  # type: ignore[no-untyped-def]
    probe = make_app()
    extra = Blueprint("probe_referrals", __name__)

    @extra.route("/probe/referrals/<uuid:client_id>")
    @allow(Role.WORKER, scoped=True)
    def sections(client_id: object) -> str:
        from flask_login import current_user

        from caseapp.clients.queries import get_client_or_404

        client = get_client_or_404(current_user, client_id)  # type: ignore[arg-type]
        return render_template_string(
            '{% include "referrals/_client_section.html" %}{% include "referrals/_caseload_waiting.html" %}',
            client=client,
            user=current_user,
        )

    probe.register_blueprint(extra)
    with probe.app_context():
        worker = make_user("worker", wards=[WARD_A], username="probereferrer")
        referral_id, client_id = make_referral_for(worker.id)
    browser = probe.test_client()
    log_in(browser, "probereferrer")
    page = browser.get(f"/probe/referrals/{client_id}").get_data(as_text=True)
    assert page.count(f"/referrals/{referral_id}") == 2 and "Trợ giúp pháp lý" in page
    assert f"/clients/{client_id}/referrals/new" in page


def test_referral_pages_switch_to_english(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        referral_id, _ = make_referral_for(worker.user_id)
    assert "Lịch sử" in worker.get(f"/referrals/{referral_id}").get_data(as_text=True)
    worker.get("/lang/en")
    page = worker.get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert "History" in page and "Provider accepted" in page and "Lịch sử" not in page


def test_a_restricted_clients_records_are_hidden_from_workers_not_supervisors(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    supervisor = login_as("supervisor", wards=[WARD_A])
    with app.app_context():
        referral_id, client_id = make_referral_for(worker.user_id)
        contact_id = make_contact(TODAY, client=db.session.get(Client, client_id), next_follow_up_on=TODAY).id
        db.session.execute(
            update(Client.__table__).where(Client.__table__.c.id == client_id).values(restricted=True)
        )
        db.session.commit()
    for url in (f"/referrals/{referral_id}", f"/contacts/{contact_id}"):
        assert worker.get(url).status_code == 404, url
        assert supervisor.get(url).status_code == 200, url
    for url in ("/referrals/", "/contacts/"):
        assert str(referral_id) not in worker.get(url).get_data(as_text=True)
        assert str(contact_id) not in worker.get(url).get_data(as_text=True)
