"""Scoped reads: only casework roles, only their wards; restricted records only for supervisors."""

from __future__ import annotations

import pytest

from caseapp.clients.models import Client
from caseapp.clients.queries import caseload, clients_visible_to, find_client_by_code, workers_of_ward
from caseapp.extensions import db
from tests.factories import WARD_A, WARD_B, make_client, make_user

pytestmark = pytest.mark.usefixtures("app_ctx")


def visible(user) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.code for c in db.session.scalars(clients_visible_to(user))}


def with_code(client: Client, code: str) -> Client:
    db.session.refresh(client)
    client.code = code
    db.session.commit()
    return client


def test_each_role_sees_what_it_may() -> None:
    a, b = make_client(WARD_A), make_client(WARD_B)
    hidden = make_client(WARD_A, restricted=True)
    assert visible(make_user("worker", wards=[WARD_A])) == {a.code}
    assert visible(make_user("worker", wards=[WARD_A, WARD_B])) == {a.code, b.code}
    assert visible(make_user("supervisor", wards=[WARD_A])) == {a.code, hidden.code}
    assert visible(make_user("analyst")) == set()
    assert visible(make_user("admin")) == set()


def test_code_lookup_accepts_what_workers_type_and_stays_in_scope() -> None:
    mine, theirs = with_code(make_client(WARD_A), "HN-7K3F-9Q"), with_code(make_client(WARD_B), "HN-2345-67")
    worker = make_user("worker", wards=[WARD_A])
    for typed in ("HN-7K3F-9Q", "hn 7k3f 9q", "7K3F9Q", " hn7k3f-9q "):
        assert find_client_by_code(worker, typed) is mine
    assert find_client_by_code(worker, theirs.code) is None
    assert find_client_by_code(worker, "HN-OOOO-II") is None


def test_caseload_puts_my_clients_first_then_vietnamese_order() -> None:
    worker = make_user("worker", wards=[WARD_A])
    for alias in ("Đào", "Dũng", "Ánh", "An", "Bình"):
        make_client(WARD_A, alias=alias)
    make_client(WARD_A, alias="Zung", worker=worker)
    make_client(WARD_A, alias="Closed", status="closed")
    page = caseload(worker)
    assert [r.alias for r in page.rows] == ["Zung", "An", "Ánh", "Bình", "Dũng", "Đào"]
    assert page.total == 6 and page.pages == 1


def test_caseload_pages_hold_50() -> None:
    worker = make_user("worker", wards=[WARD_A])
    for _ in range(51):
        make_client(WARD_A, alias="Hoa")
    first, second = caseload(worker, page=1), caseload(worker, page=2)
    assert (len(first.rows), len(second.rows), first.pages) == (50, 1, 2)
    assert caseload(worker, page=99).page == 2


def test_workers_of_ward_lists_active_workers_only() -> None:
    keep = make_user("worker", wards=[WARD_A])
    make_user("worker", wards=[WARD_B])
    make_user("supervisor", wards=[WARD_A])
    gone = make_user("worker", wards=[WARD_A])
    gone.active = False
    db.session.commit()
    assert workers_of_ward(WARD_A) == [keep]
