"""N+1 check: the SQL statements a main page sends do not grow with the number of rows behind it.

Each page is requested once over a little data and once over several times more (more clients in the
caseload, more contacts and referrals on the client page and in the lists, more history for the
dashboards); the count of queries (transaction plumbing excluded) must be the same.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from flask import Flask

from caseapp.clients.models import Client
from caseapp.extensions import db
from caseapp.users.models import User
from tests.factories import WARD_A, WARD_B, make_client, make_contact, make_referral, programme_wards
from tests.query_counter import QueryLog, count_queries

DAY = dt.date(2026, 3, 2)
# the pages to check: (role that opens it, url given the focus client's id)
PAGES: dict[str, tuple[str, Callable[[uuid.UUID], str]]] = {
    "caseload": ("worker", lambda _cid: "/clients/"),
    "caseload page 2": ("worker", lambda _cid: "/clients/?page=2"),
    "home": ("worker", lambda _cid: "/"),
    "client page": ("worker", lambda cid: f"/clients/{cid}"),
    "contacts list": ("worker", lambda _cid: "/contacts/"),
    "referrals list": ("worker", lambda _cid: "/referrals/"),
    "supervisor dashboard": ("supervisor", lambda _cid: "/indicators/"),
    "city dashboard": ("analyst", lambda _cid: "/indicators/city"),
}
# the export download (a POST) has its own check: tests/exports/test_views.py


def _grow(worker_id: int, focus: Client, clients: int) -> None:
    """`clients` more clients of the worker, each contacted twice and referred once; more on `focus`."""
    worker = db.session.get(User, worker_id)
    for n in range(clients):
        client = make_client(WARD_A if n % 2 else WARD_B, worker=worker, registered_on=DAY)
        make_contact(DAY + dt.timedelta(days=n % 20), client=client, worker=worker)
        make_contact(DAY + dt.timedelta(days=n % 30), client=client, worker=worker)
        make_referral(client, "health", status="referred", referred_on=DAY)
        make_contact(DAY + dt.timedelta(days=n % 25), client=focus, worker=worker)
        make_referral(focus, "education", status="received", referred_on=DAY)
    make_contact(DAY, ward=WARD_A, worker=worker)  # an anonymous one too


def _counts(app: Flask, staff: dict[str, object], focus_id: uuid.UUID) -> dict[str, QueryLog]:
    logs = {}
    for name, (role, url) in PAGES.items():
        browser = staff[role]
        browser.get(url(focus_id))  # type: ignore[attr-defined]  # warm-up: session and per-process caches
        with app.app_context(), count_queries() as log:
            response = browser.get(url(focus_id))  # type: ignore[attr-defined]
        assert response.status_code == 200, (name, response.status_code)
        logs[name] = log
    return logs


@pytest.fixture
def staff(app: Flask, login_as) -> dict[str, object]:  # type: ignore[no-untyped-def]
    with app.app_context():
        programme_wards(2025, (WARD_A, WARD_B))
    return {
        "worker": login_as("worker", wards=[WARD_A, WARD_B]),
        "supervisor": login_as("supervisor", wards=[WARD_A, WARD_B]),
        "analyst": login_as("analyst"),
    }


def test_main_pages_send_the_same_number_of_queries_whatever_the_data(app: Flask, staff) -> None:  # type: ignore[no-untyped-def]
    worker_id = staff["worker"].user_id
    with app.app_context():
        focus = make_client(WARD_A, worker=db.session.get(User, worker_id), registered_on=DAY)
        focus_id = focus.id
        _grow(worker_id, focus, 3)
    small = _counts(app, staff, focus_id)
    with app.app_context():
        _grow(worker_id, db.session.get(Client, focus_id), 60)  # 61 clients: two caseload pages
    large = _counts(app, staff, focus_id)
    grown = {
        name: (small[name].count, large[name].count, [s[:90] for s, _ in large[name].queries])
        for name in PAGES
        if large[name].count != small[name].count
    }
    assert not grown, grown
