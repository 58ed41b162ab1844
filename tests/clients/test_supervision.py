"""Supervisor actions: reassign within the ward, close with a reason; audited, refused when wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from caseapp.clients import errors
from caseapp.clients.supervision import close_client, reassign_client, reopen_client
from caseapp.extensions import db
from tests.clients.helpers import TODAY, audit_dump, register
from tests.factories import WARD_A, WARD_B, make_user, programme_wards

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    programme_wards()
    return (
        make_user("supervisor", wards=[WARD_A]),
        make_user("worker", wards=[WARD_A]),
        make_user("worker", wards=[WARD_A, WARD_B]),
    )


def test_reassign_to_another_worker_of_the_ward(team) -> None:  # type: ignore[no-untyped-def]
    supervisor, first, second = team
    client = register(first)
    reassign_client(client=client, actor=supervisor, worker=second, expected_version=1)
    assert client.worker_id == second.id and client.version == 2
    assert "client.reassigned" in audit_dump()


def test_reassign_refusals(team) -> None:  # type: ignore[no-untyped-def]
    supervisor, first, second = team
    client = register(first)
    elsewhere = make_user("worker", wards=[WARD_B])
    inactive = make_user("worker", wards=[WARD_A])
    inactive.active = False
    db.session.commit()
    for worker, refusal in [
        (elsewhere, errors.WorkerNotInWard),
        (inactive, errors.WorkerNotInWard),
        (make_user("supervisor", wards=[WARD_A]), errors.WorkerNotInWard),
        (first, errors.AlreadyAssigned),
    ]:
        with pytest.raises(refusal):
            reassign_client(client=client, actor=supervisor, worker=worker)
    with pytest.raises(errors.NotAllowed):
        reassign_client(client=client, actor=first, worker=second)  # workers do not reassign
    with pytest.raises(errors.NotAllowed):
        reassign_client(client=client, actor=make_user("supervisor", wards=[WARD_B]), worker=second)
    with pytest.raises(errors.StaleClient):
        reassign_client(client=client, actor=supervisor, worker=second, expected_version=7)
    assert "client.reassigned" not in audit_dump() and client.worker_id == first.id


def test_close_with_a_reason(team) -> None:  # type: ignore[no-untyped-def]
    supervisor, worker, _ = team
    client = register(worker)
    close_client(client=client, actor=supervisor, reason="reintegrated", closed_on=TODAY)
    assert (client.status, client.closed_reason, client.closed_on) == ("closed", "reintegrated", TODAY)
    dump = audit_dump()
    assert "client.closed" in dump and "reintegrated" not in dump
    with pytest.raises(errors.ClientClosed):
        close_client(client=client, actor=supervisor, reason="moved", closed_on=TODAY)
    with pytest.raises(errors.ClientClosed):
        reassign_client(client=client, actor=supervisor, worker=team[2])


@pytest.mark.parametrize(
    ("reason", "days", "refusal"),
    [
        ("bored", 0, errors.UnknownChoice),
        ("moved", 1, errors.DateInFuture),
        ("moved", -1, errors.DateOutOfOrder),  # before the client was registered
    ],
)
def test_close_refusals(team, reason: str, days: int, refusal: type[Exception]) -> None:  # type: ignore[no-untyped-def]
    supervisor, worker, _ = team
    client = register(worker)
    with pytest.raises(refusal):
        close_client(
            client=client, actor=supervisor, reason=reason, closed_on=TODAY + dt.timedelta(days=days)
        )
    with pytest.raises(errors.NotAllowed):
        close_client(client=client, actor=worker, reason="moved", closed_on=TODAY)
    assert client.status == "active"


def test_a_closed_case_is_reopened_when_the_person_comes_back(team) -> None:  # type: ignore[no-untyped-def]
    supervisor, worker, _ = team
    client = register(worker)
    with pytest.raises(errors.ClientNotClosed):
        reopen_client(client=client, actor=supervisor)
    close_client(client=client, actor=supervisor, reason="moved", closed_on=TODAY)
    with pytest.raises(errors.NotAllowed):
        reopen_client(client=client, actor=worker)
    with pytest.raises(errors.NotAllowed):
        reopen_client(client=client, actor=make_user("supervisor", wards=[WARD_B]))
    with pytest.raises(errors.StaleClient):
        reopen_client(client=client, actor=supervisor, expected_version=1)
    reopen_client(client=client, actor=supervisor, expected_version=client.version)
    assert (client.status, client.closed_reason, client.closed_on) == ("active", None, None)
    dump = audit_dump()
    assert "client.closed" in dump and "client.reopened" in dump and "moved" not in dump
    reassign_client(client=client, actor=supervisor, worker=team[2])  # an open case again


def test_an_erased_client_is_not_reopened(team) -> None:  # type: ignore[no-untyped-def]
    supervisor, worker, _ = team
    client = register(worker)
    close_client(client=client, actor=supervisor, reason="moved", closed_on=TODAY)
    client.erased_at = dt.datetime(2026, 3, 1)
    db.session.commit()
    with pytest.raises(errors.ClientErased):
        reopen_client(client=client, actor=supervisor)
    assert client.status == "closed"
