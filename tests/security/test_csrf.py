"""Every state-changing route refuses a missing or wrong CSRF token with a clear 400 page, writing nothing."""

from __future__ import annotations

import uuid

from flask import Flask

from caseapp.core.access import Role
from tests.factories import WARD_A
from tests.security import matrix
from tests.security.world import populate_ward

CLEAR_PAGE = "Biểu mẫu đã hết hạn"


def test_every_post_route_needs_a_valid_csrf_token(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    staff = {role: login_as(role.value, wards=[WARD_A]) for role in Role}
    with app.app_context():
        records = populate_ward(WARD_A, "CANARYCSRF")
        ids = matrix.Ids(records, staff[Role.ANALYST].user_id, uuid.uuid4())
        before = matrix.snapshot()
    failures, checked = [], 0
    for route in matrix.routes(app):
        if route.method == "GET" or route.endpoint in matrix.SESSION_ENDING:
            continue
        role = next((r for r in Role if route.admits(r)), Role.WORKER)
        client = app.test_client() if route.public else staff[role].client
        path = ids.path(route)
        for token in (None, "not-the-token"):
            data = {} if token is None else {"csrf_token": token}
            response = client.open(path, method=route.method, data=data)
            checked += 1
            if response.status_code != 400 or CLEAR_PAGE not in response.get_data(as_text=True):
                failures.append(f"{route} {path} token={token!r}: {response.status_code}")
    with app.app_context():
        changed = sorted({table for table, _ in matrix.touched_rows(before, matrix.snapshot())})
    assert failures == [], "\n".join(failures)
    assert checked >= 20 and changed == []
