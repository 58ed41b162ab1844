"""Deny by default: every endpoint declares a policy, and an undeclared one refuses everyone."""

from __future__ import annotations

import uuid

from flask import Blueprint, Flask
from werkzeug.routing import IntegerConverter, Rule, UUIDConverter

from caseapp.core.access import Role, all_policies, allow
from tests.factories import WARD_A, WARD_B


def undeclared_endpoints(app: Flask) -> list[str]:
    return [endpoint for endpoint, policy in all_policies(app) if policy is None]


def test_every_endpoint_declares_a_policy(app: Flask) -> None:
    assert undeclared_endpoints(app) == []
    assert len(list(all_policies(app))) >= 10


def test_an_undeclared_endpoint_fails_the_walk_and_refuses_everyone(make_app) -> None:  # type: ignore[no-untyped-def]
    probe = make_app()
    extra = Blueprint("probe", __name__)

    @extra.route("/probe/open")
    def forgotten() -> str:  # no policy declared: a mistake the suite must catch
        return "secret"

    @extra.route("/probe/declared")
    @allow(Role.ADMIN)
    def declared() -> str:
        return "fine"

    probe.register_blueprint(extra)
    assert undeclared_endpoints(probe) == ["probe.forgotten"]

    # and at runtime the undeclared route refuses even an admin
    with probe.app_context():
        from tests.factories import make_user

        make_user("admin", username="probeadmin")
    client = probe.test_client()
    from tests.conftest import log_in

    log_in(client, "probeadmin")
    assert client.get("/probe/open").status_code == 403
    assert client.get("/probe/declared").status_code == 200


def sample_value(rule: Rule, argument: str) -> object:
    """A value the rule's converter accepts, so the request reaches the access check."""
    converter = rule._converters[argument]
    if isinstance(converter, UUIDConverter):
        return uuid.uuid4()
    if isinstance(converter, IntegerConverter):
        return 1
    return "x"


def test_unauthenticated_requests_are_sent_to_login(app: Flask) -> None:
    client = app.test_client()
    for endpoint, policy in all_policies(app):
        if policy is None or policy.public:
            continue
        rule = next(app.url_map.iter_rules(endpoint))
        url = rule.build({arg: sample_value(rule, arg) for arg in rule.arguments})[1]  # type: ignore[index]
        response = client.get(url) if "GET" in (rule.methods or ()) else client.post(url)
        assert response.status_code in (302, 401), (endpoint, response.status_code)
        if response.status_code == 302:
            assert "/auth/login" in response.headers["Location"]


def test_worker_cannot_reach_admin_pages(login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A, WARD_B])
    for url in ("/admin/users/", "/admin/users/new", f"/wards/{WARD_A}"):
        assert worker.get(url).status_code == 403, url
    assert worker.post("/wards/import").status_code == 403


def test_denials_are_audited(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    from caseapp.core.audit import AuditEvent

    worker = login_as("worker")
    worker.get("/admin/users/")
    with app.app_context():
        events = AuditEvent.query.filter_by(action="access.denied").all()
        assert [e.details["endpoint"] for e in events] == ["users.index"]
        assert events[0].user_id == worker.user_id
