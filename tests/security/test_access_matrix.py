"""The access matrix: every endpoint × method × role × scope, discovered from app.url_map.

Two populated wards (A and B) and an empty one (C). For each role and scope the matrix requests every route
with a ward's record ids in the path, the query string and the form body, and checks:

* a role the endpoint's policy does not admit gets 403; ids of a ward the user does not have get 404;
* no response carries another ward's personal values or client codes (canaries), and analysts and admins
  never see any personal value or client code at all;
* nothing is written that belongs to, or points at, the other ward's records;
* every response carries the security headers (CSP, X-Frame-Options, Referrer-Policy, no-store);
* anonymous requests are refused everywhere outside a short public allowlist.

Scopes: `own` (the user's ward's ids: a positive control, so a 404 elsewhere is not an accident of a bad
id), `other` (a user of ward A, ward B's ids; and ward A's ids in the path with ward B's in the query and
body), `none` (a user of the empty ward C, or an analyst or admin, with ward A's ids). The number of cases
checked is printed at the end of the run (tests/security/conftest.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from caseapp.core.access import Role, all_policies
from caseapp.core.audit import AuditEvent
from caseapp.exports.models import ExportJob
from caseapp.extensions import db
from caseapp.wards.models import Ward
from tests.conftest import Staff, empty_tables, log_in
from tests.factories import WARD_A, WARD_B, make_user
from tests.security import matrix
from tests.security.matrix import TALLY, Ids, Route
from tests.security.world import WardRecords, canary_client, populate_ward

ROLES = (Role.WORKER, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)
# audit actions that record a view of personal data: a page showing any must have written one
VIEW_ACTIONS = frozenset({"viewed", "listed", "searched", "access_copy"})
# the positive controls run first, before any request in another scope could change ward A's records
CASES = [(scope, role) for scope in ("own", "other", "none") for role in ROLES]


@dataclass
class Restricted:
    """A client of ward A under a restriction request: hidden from workers."""

    tag: str
    code: str
    client_id: object
    contact_id: object
    referral_id: object


@dataclass
class World:
    a: WardRecords
    b: WardRecords
    restricted: Restricted
    staff: dict[str, Staff]
    victim_user_id: int
    victim_export_job: uuid.UUID

    def ids(self, records: WardRecords) -> Ids:
        return Ids(records, self.victim_user_id, self.victim_export_job)


@pytest.fixture(autouse=True)
def _clean_database() -> Iterator[None]:
    """Overrides the per-test cleanup: the world is built once and lives for the whole module."""
    yield


def _restricted_client(worker_id: int) -> Restricted:
    from caseapp.contacts.models import Contact
    from caseapp.referrals.models import Referral
    from caseapp.users.models import User

    worker = db.session.get(User, worker_id)
    client = canary_client(WARD_A, "CANARYMXR", worker=worker)
    client.restricted = True
    contact = Contact(
        client_id=client.id,
        ward_code=WARD_A,
        contact_date=client.registered_on,
        channel="phone",
        topics=["health"],
        notes="CANARYMXR-contact",
    )
    db.session.add(contact)
    db.session.flush()
    referral = Referral(
        client_id=client.id,
        ward_code=WARD_A,
        category="health",
        referred_on=client.registered_on,
        status="referred",
        status_changed_on=client.registered_on,
        notes="CANARYMXR-referral",
    )
    db.session.add(referral)
    db.session.commit()
    return Restricted("CANARYMXR", client.code, client.id, contact.id, referral.id)


def _staff(app: Flask, role: str, wards: list[int], prefix: str = "mx") -> Staff:
    with app.app_context():
        user = make_user(role, wards=wards, username=f"{prefix}-{role}-{'-'.join(map(str, wards)) or 'city'}")
        user_id, name = user.id, user.username
    client = app.test_client()
    assert log_in(client, name).status_code == 302
    return Staff(client, user_id)


@pytest.fixture(scope="module")
def world(app: Flask) -> Iterator[World]:
    with app.app_context():
        empty_tables()
        ward_c = db.session.scalars(
            select(Ward.code).where(Ward.code.not_in([WARD_A, WARD_B])).limit(1)
        ).one()
    staff = {
        "worker": _staff(app, "worker", [WARD_A]),
        "supervisor": _staff(app, "supervisor", [WARD_A]),
        "worker-none": _staff(app, "worker", [ward_c]),
        "supervisor-none": _staff(app, "supervisor", [ward_c]),
        "analyst": _staff(app, "analyst", []),
        "admin": _staff(app, "admin", []),
    }
    with app.app_context():
        from caseapp.users.models import User

        worker_a = db.session.get(User, staff["worker"].user_id)
        worker_b = make_user("worker", wards=[WARD_B], username="mx-worker-b")
        a = populate_ward(WARD_A, "CANARYMXA", worker=worker_a)
        b = populate_ward(WARD_B, "CANARYMXB", worker=worker_b)
        restricted = _restricted_client(worker_a.id)
        # an account that admin routes may act on (reset, edit) without ending anyone's session here
        victim = make_user("analyst", username="mx-victim").id
        # an export made by someone else: nobody in the matrix may download it
        job = ExportJob(
            requested_by=victim, month="2026-01", threshold=10, fmt="csv", status="done", content=b"mx-export"
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    yield World(a, b, restricted, staff, victim, job_id)
    with app.app_context():
        db.session.remove()
        empty_tables()


def forbidden_values(records: WardRecords) -> list[str]:
    return [records.tag, records.client_code, *records.canaries[1:]]


def headers_problems(route: Route, response: Any) -> list[str]:
    headers = response.headers
    problems = []
    if "default-src 'self'" not in headers.get("Content-Security-Policy", ""):
        problems.append("no CSP")
    if headers.get("X-Frame-Options") != "DENY":
        problems.append("X-Frame-Options")
    if headers.get("Referrer-Policy") != "no-referrer":
        problems.append("Referrer-Policy")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("X-Content-Type-Options")
    if route.endpoint != "static" and headers.get("Cache-Control") != "no-store":
        problems.append("Cache-Control")
    return problems


def send(staff: FlaskClient | Staff, route: Route, path: str, fields: dict[str, str]) -> Any:
    url = f"{path}?{urlencode(fields)}"
    if route.method == "GET":
        return staff.get(url)
    if isinstance(staff, Staff):
        return (
            staff.post(url, data=fields)
            if route.method == "POST"
            else staff.client.open(url, method=route.method, data=fields)
        )
    return staff.open(url, method=route.method, data=fields)


@dataclass(frozen=True)
class Case:
    """One request of the matrix and what it must and must not do."""

    route: Route
    role: Role
    scope: str
    placement: str
    path: str
    fields: dict[str, str]
    foreign: list[WardRecords]
    forbidden: list[str]
    expect: int | None  # the status the request must get, None where any non-error status will do
    positive: bool = False  # a positive control: the user's own ids must be found (not 404)
    shown_tag: str | None = None  # personal values that, if shown, must come with an audited view


def expected_status(route: Route, role: Role, path_is_foreign: bool) -> int | None:
    if route.public:
        return None
    if not route.admits(role):
        return 403
    if path_is_foreign and route.has_ward_ids(role):
        return 404
    return None


def cases_for(world: World, route: Route, role: Role, scope: str) -> Iterator[Case]:
    """The requests one route gets for one role in one scope."""
    casework = role in (Role.WORKER, Role.SUPERVISOR)
    all_forbidden = (
        forbidden_values(world.a) + forbidden_values(world.b) + [world.restricted.tag, world.restricted.code]
    )
    if scope == "own":
        target, foreign = world.a, [world.b]
        forbidden = forbidden_values(world.b) if casework else all_forbidden
        if route.method != "GET":
            return  # own-ward writes are the features' own business, tested there
        yield Case(
            route,
            role,
            scope,
            "own ids",
            world.ids(target).path(route),
            world.ids(target).fields(),
            foreign,
            forbidden,
            expected_status(route, role, not casework),
            positive=casework,
            shown_tag=target.tag,
        )
        return
    if scope == "other":
        target, foreign = world.b, [world.b]
        forbidden = forbidden_values(world.b) if casework else all_forbidden
    else:
        target, foreign = world.a, [world.a, world.b]
        forbidden = all_forbidden
    ids = world.ids(target)
    yield Case(
        route,
        role,
        scope,
        "foreign ids in path, query and body",
        ids.path(route),
        ids.fields(),
        foreign,
        forbidden,
        expected_status(route, role, True),
    )
    if scope == "other" and casework and route.rule.arguments:
        # the user's own record in the path, the other ward's ids in the query and the body
        yield Case(
            route,
            role,
            scope,
            "own path, foreign query and body",
            world.ids(world.a).path(route),
            ids.fields(),
            foreign,
            forbidden,
            expected_status(route, role, False),
        )


def check(case: Case, response: Any, body: str, before: Any, after: Any) -> list[str]:
    problems = []
    status = response.status_code
    if status >= 500:
        problems.append(f"status {status}")
    elif case.expect is not None and status != case.expect:
        problems.append(f"status {status}, expected {case.expect}")
    elif (
        case.positive
        and status == 404
        and case.route.admits(case.role)
        and case.route.has_ward_ids(case.role)
    ):
        problems.append("own record not found (positive control): the matrix placed a wrong id")
    problems += headers_problems(case.route, response)
    # a value the request itself carried may be echoed back (the language links keep the query string)
    sent = {case.path, *case.fields.values()}
    unsent = [value for value in case.forbidden if value and not any(value in part for part in sent)]
    leaked = sorted({value for value in unsent if value in body})
    if leaked:
        problems.append(f"shows {leaked}")
    if before is not None:
        for records in case.foreign:
            touched = matrix.foreign_writes(before, after, records)
            if touched:
                problems.append(f"wrote rows of ward {records.ward}'s records in {touched}")
        if case.expect in (403, 404) and list(matrix.touched_rows(before, after)):
            problems.append("refused, but wrote something")
    return [
        f"{case.role.value}/{case.scope} {case.route} [{case.placement}] {case.path}: {p}" for p in problems
    ]


def run_case(app: Flask, staff: Staff, case: Case) -> list[str]:
    # only writes can write; a GET that changed data would be a bug of its own, caught by the features' tests
    watch = case.scope != "own" and case.route.method != "GET"
    with app.app_context():
        before = matrix.snapshot() if watch else None
        last_seq = db.session.scalar(select(func.max(AuditEvent.seq))) or 0
    response = send(staff, case.route, case.path, case.fields)
    body = response.get_data(as_text=True)
    response.close()  # a file response keeps its file open until closed
    with app.app_context():
        after = matrix.snapshot() if watch else None
        audited = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.seq > last_seq, AuditEvent.user_id == staff.user_id)
        ).all()
        db.session.remove()
    TALLY.count(case.role.value)
    TALLY.requests += 1
    problems = check(case, response, body, before, after)
    if (
        case.shown_tag
        and case.shown_tag in body
        and not any(a.rsplit(".", 1)[-1] in VIEW_ACTIONS for a in audited)
    ):
        problems.append(
            f"{case.role.value}/{case.scope} {case.route} {case.path}: shows personal data, no view audited"
        )
    return problems


def staff_for(world: World, role: Role, scope: str) -> Staff:
    if scope == "none" and role in (Role.WORKER, Role.SUPERVISOR):
        return world.staff[f"{role.value}-none"]
    return world.staff[role.value]


def test_every_route_is_mapped_and_the_public_allowlist_is_short(app: Flask, world: World) -> None:
    assert [endpoint for endpoint, policy in all_policies(app) if policy is None] == []
    public = {route.endpoint for route in matrix.routes(app) if route.public}
    assert public <= matrix.PUBLIC_ALLOWLIST, f"new public endpoints: {public - matrix.PUBLIC_ALLOWLIST}"
    for route in matrix.routes(app):  # raises UnmappedArgument for an id the matrix cannot place
        world.ids(world.a).path(route)


def test_workers_never_see_a_restricted_client(app: Flask, world: World) -> None:
    worker = world.staff["worker"]
    leaks = []
    for route in matrix.routes(app):
        if route.method != "GET" or not route.admits(Role.WORKER):
            continue
        values = {
            "client_id": world.restricted.client_id,
            "contact_id": world.restricted.contact_id,
            "referral_id": world.restricted.referral_id,
        }
        path = str(
            route.rule.build(
                {
                    arg: values.get(arg, world.ids(world.a).value(route.rule, arg))
                    for arg in route.rule.arguments
                }
            )[1]
        )  # type: ignore[index]
        body = worker.get(path).get_data(as_text=True)
        if world.restricted.tag in body or world.restricted.code in body:
            leaks.append(f"{route} {path}")
    assert leaks == []


@pytest.mark.parametrize(("scope", "role"), CASES, ids=[f"{role.value}-{scope}" for scope, role in CASES])
def test_matrix(app: Flask, world: World, scope: str, role: Role) -> None:
    staff = staff_for(world, role, scope)
    failures = []
    for route in matrix.routes(app):
        if route.endpoint in matrix.SESSION_ENDING:
            continue
        for case in cases_for(world, route, role, scope):
            failures += run_case(app, staff, case)
    assert staff.get("/").status_code == 200, "the matrix's own session ended mid-run"
    assert failures == [], "\n".join(failures)


def test_anonymous_requests_are_refused_outside_the_allowlist(app: Flask, world: World) -> None:
    client = app.test_client()
    failures = []
    for route in matrix.routes(app):
        for records in (world.a, world.b):
            ids = world.ids(records)
            response = send(client, route, ids.path(route), ids.fields())
            TALLY.count("anonymous")
            TALLY.requests += 1
            status, location = response.status_code, response.headers.get("Location", "")
            if route.public:
                ok = status < 500
            elif route.method == "GET":
                ok = status == 302 and "/auth/login" in location
            else:
                ok = status == 401
            body = response.get_data(as_text=True)
            response.close()
            leaked = [v for v in forbidden_values(records)[:1] if v in body]  # the tag is never sent
            problems = ([f"status {status}"] if not ok else []) + headers_problems(route, response)
            problems += [f"shows {leaked}"] if leaked else []
            failures += [f"anonymous {route} {ids.path(route)}: {p}" for p in problems]
    assert failures == [], "\n".join(failures)


def test_the_matrix_catches_routes_that_ignore_ward_scope(make_app, world: World) -> None:  # type: ignore[no-untyped-def]
    """The matrix's own test: a route that forgets the ward filter, and one that links to a foreign client."""
    import datetime as dt
    import uuid

    from flask import Blueprint, request

    from caseapp.clients.models import Client
    from caseapp.contacts.models import Contact
    from caseapp.core.access import allow

    probe = make_app()
    leaky = Blueprint("probe", __name__)

    @leaky.route("/probe/clients/<uuid:client_id>")
    @allow(Role.WORKER, scoped=True)
    def client_page(client_id: uuid.UUID) -> str:
        client = db.session.get(Client, client_id)  # no ward filter: the mistake the matrix must catch
        return client.alias if client else ""

    @leaky.route("/probe/contacts", methods=["POST"])
    @allow(Role.WORKER, scoped=True)
    def log_contact() -> str:
        client_id = uuid.UUID(request.form["client_id"])  # trusts the body: another ward's client is linked
        db.session.add(
            Contact(
                client_id=client_id,
                ward_code=WARD_A,
                contact_date=dt.date(2026, 1, 3),
                channel="phone",
                topics=[],
            )
        )
        db.session.commit()
        return "ok"

    @leaky.route("/probe/things/<uuid:thing_id>")
    @allow(Role.WORKER)
    def thing(thing_id: uuid.UUID) -> str:
        return "an id the matrix does not know how to fill"

    probe.register_blueprint(leaky)
    worker = _staff(probe, "worker", [WARD_A], prefix="probe")
    found = {route.endpoint: route for route in matrix.routes(probe)}
    failures = []
    counted = (TALLY.cases, TALLY.requests, dict(TALLY.by_role))
    for endpoint in ("probe.client_page", "probe.log_contact"):
        for case in cases_for(world, found[endpoint], Role.WORKER, "other"):
            failures += run_case(probe, worker, case)
    TALLY.cases, TALLY.requests, TALLY.by_role = counted  # probes are not part of the app's matrix
    assert any("probe.client_page" in f and "expected 404" in f for f in failures), failures
    assert any("probe.client_page" in f and "CANARYMXB" in f for f in failures), failures
    assert any("probe.log_contact" in f and "wrote rows of ward 8" in f for f in failures), failures
    with pytest.raises(matrix.UnmappedArgument, match="thing_id"):
        world.ids(world.a).path(found["probe.thing"])
