"""Supervisor actions on a client: hand the case to another worker of its ward, close it with a reason,
reopen it when the person comes back."""

from __future__ import annotations

import datetime as dt

from caseapp.clients import errors, rules
from caseapp.clients.models import Client, ClientStatus, CloseReason
from caseapp.clients.services import flush_or_stale
from caseapp.core import audit
from caseapp.core.access import Role, ward_codes_of
from caseapp.core.clock import hanoi_today
from caseapp.extensions import db
from caseapp.users.models import User


def _check_supervisor(client: Client, actor: User, expected_version: int | None) -> None:
    if actor.role != Role.SUPERVISOR.value or client.ward_code not in ward_codes_of(actor):
        raise errors.NotAllowed()
    if client.status != ClientStatus.ACTIVE.value:
        raise errors.ClientClosed()
    if expected_version is not None and client.version != expected_version:
        raise errors.StaleClient()


def _save(
    client: Client, actor: User, action: str, fields: list[str], details: dict[str, object] | None = None
) -> None:
    """Write the change (refused if someone saved meanwhile), audit it with field names only, commit."""
    flush_or_stale()
    audit.record(
        action,
        user_id=actor.id,
        entity_type="client",
        entity_id=client.id,
        ward_code=client.ward_code,
        fields=fields,
        details=details,
    )
    db.session.commit()


def reassign_client(
    *, client: Client, actor: User, worker: User, expected_version: int | None = None
) -> None:
    """Make `worker` (an active social worker of the client's ward) responsible for the case."""
    _check_supervisor(client, actor, expected_version)
    if worker.role != Role.WORKER.value or not worker.active or client.ward_code not in ward_codes_of(worker):
        raise errors.WorkerNotInWard()
    if client.worker_id == worker.id:
        raise errors.AlreadyAssigned()
    previous = client.worker_id
    client.worker_id = worker.id
    _save(
        client, actor, "client.reassigned", ["worker_id"], {"from_user_id": previous, "to_user_id": worker.id}
    )


def close_client(
    *,
    client: Client,
    actor: User,
    reason: str,
    closed_on: dt.date,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> None:
    """Close the case on `closed_on` for one of the stated reasons."""
    _check_supervisor(client, actor, expected_version)
    if reason not in set(CloseReason):
        raise errors.UnknownChoice("reason")
    if closed_on > (today or hanoi_today()):
        raise errors.DateInFuture("closed_on")
    rules.check_not_before("closed_on", closed_on, client.registered_on)
    client.status = ClientStatus.CLOSED.value
    client.closed_reason = reason
    client.closed_on = closed_on
    _save(client, actor, "client.closed", ["status", "closed_reason", "closed_on"])


def reopen_client(*, client: Client, actor: User, expected_version: int | None = None) -> None:
    """Make a closed case active again (the person came back); its closing stays in the audit trail.

    An erased client is refused: its personal data is gone, and a returning person is registered anew.
    """
    if actor.role != Role.SUPERVISOR.value or client.ward_code not in ward_codes_of(actor):
        raise errors.NotAllowed()
    if client.erased_at is not None:
        raise errors.ClientErased()
    if client.status != ClientStatus.CLOSED.value:
        raise errors.ClientNotClosed()
    if expected_version is not None and client.version != expected_version:
        raise errors.StaleClient()
    client.status = ClientStatus.ACTIVE.value
    client.closed_reason = None
    client.closed_on = None
    _save(client, actor, "client.reopened", ["status", "closed_reason", "closed_on"])
