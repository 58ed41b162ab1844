"""Caseload review: per worker, exact counts; overdue follow-ups and stalled referrals; scope; links."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from caseapp.clients.models import Client
from caseapp.extensions import db
from caseapp.indicators.caseload import WorkerLoad, caseload_by_worker, overdue_follow_ups, stuck_referrals
from caseapp.users.models import User
from tests.factories import WARD_A, WARD_B, make_client, make_contact, make_referral, make_user
from tests.indicators.scenario import WARD_C

TODAY = dt.date(2026, 3, 20)


def d(day: int, month: int = 3) -> dt.date:
    return dt.date(2026, month, day)


def _worker(name: str, wards: list[int], role: str = "worker") -> User:
    user = make_user(role, wards=wards)
    user.display_name = name
    db.session.commit()
    return user


@pytest.fixture
def caseload(app: Flask):  # type: ignore[no-untyped-def]
    """Two workers and an unassigned client in wards A and B; ward C's cases belong to another supervisor."""
    with app.app_context():
        lan, minh = _worker("Lan", [WARD_A]), _worker("Minh", [WARD_A, WARD_B])
        _worker("Ánh", [WARD_B])  # in the wards, no cases yet: listed with zeros
        other = _worker("Other", [WARD_C])
        k1, k2 = make_client(WARD_A, worker=lan), make_client(WARD_A, worker=lan)
        k3 = make_client(WARD_A, worker=lan, status="closed", closed_reason="moved", closed_on=d(1))
        k4, k5 = make_client(WARD_B, worker=minh), make_client(WARD_A)
        k6 = make_client(WARD_C, worker=other)
        make_contact(d(1), client=k1, worker=lan, next_follow_up_on=d(10))  # overdue 10 days
        make_contact(d(15), client=k2, worker=lan, next_follow_up_on=d(25))  # not due yet
        make_contact(d(5), worker=lan)  # anonymous: counts as a contact this month
        make_contact(d(1), client=k3, worker=lan, next_follow_up_on=d(2))  # closed case: not reviewed
        make_contact(d(12), client=k4, worker=minh, next_follow_up_on=d(15), follow_up_done=True)
        make_contact(d(27, 2), client=k4, worker=minh)  # last month
        make_contact(d(18), client=k5, next_follow_up_on=d(19))  # overdue 1 day, nobody assigned
        make_contact(d(2), client=k6, worker=other, next_follow_up_on=d(3))  # another supervisor's
        make_referral(k1, "legal", status="referred", referred_on=d(1, 2))  # 47 days: stalled
        make_referral(k2, "health", status="accepted", referred_on=d(10, 2), on=d(18, 2))  # 30 days: not yet
        make_referral(k4, "psychological", status="referred", referred_on=d(10, 1))  # 69 days: stalled
        make_referral(k4, "legal", status="received", referred_on=d(10, 1))
        make_referral(k6, "legal", status="referred", referred_on=d(10, 1))  # another supervisor's
        supervisor = _worker("Giám sát", [WARD_A, WARD_B], role="supervisor")
        return {"supervisor": supervisor.id, "k1": k1.code, "k4": k4.code, "k5": k5.code, "k6": k6.code}


def test_caseload_by_worker(app: Flask, caseload) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        supervisor = db.session.get(User, caseload["supervisor"])
        rows = caseload_by_worker(supervisor, TODAY)
        assert [
            (r.name, r.active_clients, r.contacts_this_month, r.overdue_follow_ups, r.stuck_referrals)
            for r in rows
        ] == [
            ("Ánh", 0, 0, 0, 0),
            ("Lan", 2, 4, 1, 1),  # a closed case's contact this month still counts as work done
            ("Minh", 1, 1, 0, 1),
            (None, 1, 1, 1, 0),
        ]
        assert all(isinstance(r, WorkerLoad) for r in rows)


def test_review_lists_oldest_first_and_scoped(app: Flask, caseload) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        supervisor = db.session.get(User, caseload["supervisor"])
        overdue = overdue_follow_ups(supervisor, TODAY)
        assert [(i.client_code, i.worker_name, i.since, i.days) for i in overdue] == [
            (caseload["k1"], "Lan", d(10), 10),
            (caseload["k5"], None, d(19), 1),
        ]
        stuck = stuck_referrals(supervisor, TODAY)
        assert [(i.client_code, i.category, i.status, i.days) for i in stuck] == [
            (caseload["k4"], "psychological", "referred", 69),
            (caseload["k1"], "legal", "referred", 47),
        ]


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_roles_without_casework_get_no_cases(app: Flask, caseload, role: str) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        user = make_user(role)
        assert caseload_by_worker(user, TODAY) == []
        assert overdue_follow_ups(user, TODAY) == [] and stuck_referrals(user, TODAY) == []


def test_the_dashboard_shows_the_review_with_links_into_the_cases(
    app: Flask, caseload, login_as, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("caseapp.indicators.views.hanoi_today", lambda: TODAY)
    supervisor = login_as("supervisor", wards=[WARD_A, WARD_B])
    page = supervisor.get("/indicators/").get_data(as_text=True)
    assert "Rà soát hồ sơ" in page
    assert caseload["k1"] in page and caseload["k4"] in page and caseload["k5"] in page
    assert caseload["k6"] not in page  # ward C is not theirs
    with app.app_context():
        k1 = Client.query.filter_by(code=caseload["k1"]).one()
    # the code opens the case; reassigning and closing are the forms on the case's page
    assert f'href="/clients/{k1.id}"' in page
    assert f'href="/clients/{k1.id}#supervision"' in page


def test_the_links_lead_into_the_case_and_its_supervisor_forms(app: Flask, caseload, login_as) -> None:  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[WARD_A, WARD_B])
    with app.app_context():
        k1 = Client.query.filter_by(code=caseload["k1"]).one()
        k6 = Client.query.filter_by(code=caseload["k6"]).one()
    page = supervisor.get(f"/clients/{k1.id}").get_data(as_text=True)
    assert caseload["k1"] in page and 'id="supervision"' in page
    assert supervisor.get(f"/clients/{k6.id}").status_code == 404  # another supervisor's ward
