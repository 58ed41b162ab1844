"""Acting on data-subject requests. Each is one transaction, one audit event and one line in the register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from sqlalchemy import update

from caseapp.clients.models import Client, Consent
from caseapp.clients.services import ClientDetails, update_client
from caseapp.core import audit
from caseapp.core.db import utcnow
from caseapp.extensions import db
from caseapp.privacy import clock
from caseapp.privacy.erasure import clear_personal_columns, scrub_storage
from caseapp.privacy.models import DataSubjectRequest, RequestKind, RequestSource
from caseapp.users.models import User

# what a person may have corrected (case notes are the workers' record, not a statement of fact)
CORRECTABLE = ("alias", "full_name", "phone", "id_number", "date_of_birth", "address")


class RequestRefused(ValueError):
    """A request that cannot be acted on as asked; nothing was written."""


class AlreadyErased(RequestRefused):
    """The client's personal data has already been erased."""


class NothingChanged(RequestRefused):
    """A correction that changes no field, or a restriction already in the state asked for."""


class InvalidRequestDate(RequestRefused):
    """The day the request was received cannot be in the future."""


def _check_received_on(received_on: dt.date | None) -> None:
    if received_on is not None and received_on > clock.hanoi_today():
        raise InvalidRequestDate(str(received_on))


def _register(
    *,
    client: Client,
    kind: RequestKind,
    actor: User | None,
    received_on: dt.date | None,
    fields: Iterable[str] = (),
    source: RequestSource = RequestSource.PERSON,
) -> DataSubjectRequest:
    _check_received_on(received_on)
    request = DataSubjectRequest(
        client_id=client.id,
        kind=kind.value,
        source=source.value,
        received_on=received_on,
        completed_on=clock.hanoi_today(),
        handled_by=actor.id if actor else None,
        fields=sorted(fields),
    )
    db.session.add(request)
    return request


def _refuse_if_erased(client: Client) -> None:
    if client.erased_at is not None:
        raise AlreadyErased(client.code)


def record_access_copy(*, client: Client, actor: User, received_on: dt.date) -> DataSubjectRequest:
    """Register that the person was given a copy of their data (the view builds the file)."""
    _refuse_if_erased(client)
    request = _register(client=client, kind=RequestKind.ACCESS, actor=actor, received_on=received_on)
    audit.record("privacy.access_copy", entity_type="client", entity_id=client.id, ward_code=client.ward_code)
    db.session.commit()
    return request


def _corrected_details(client: Client, changes: Mapping[str, object]) -> ClientDetails:
    """The client's details as they stand, with the corrected fields replaced."""
    current = {name: getattr(client, name) for name in ClientDetails.__dataclass_fields__}
    corrected = {name: changes[name] or None for name in CORRECTABLE if name in changes}
    return ClientDetails(**{**current, **corrected})


def correct_client(
    *, client: Client, actor: User, received_on: dt.date, changes: Mapping[str, object]
) -> list[str]:
    """Correct personal fields at the person's request; returns the names of the fields changed.

    The clients feature's own edit does the work (its checks, canonical forms, blind indexes and
    `client.updated` audit event); the request is then written to the register.
    """
    _refuse_if_erased(client)
    _check_received_on(received_on)
    changed = update_client(
        client=client,
        actor=actor,
        expected_version=client.version,
        details=_corrected_details(client, changes),
    )
    if not changed:
        raise NothingChanged(client.code)
    _register(
        client=client, kind=RequestKind.RECTIFICATION, actor=actor, received_on=received_on, fields=changed
    )
    db.session.commit()
    return changed


def set_restriction(*, client: Client, actor: User, received_on: dt.date, restricted: bool) -> None:
    """Restrict processing (the record disappears for workers) or lift the restriction."""
    _refuse_if_erased(client)
    if client.restricted == restricted:
        raise NothingChanged(client.code)
    client.restricted = restricted
    kind = RequestKind.RESTRICTION if restricted else RequestKind.RESTRICTION_LIFTED
    _register(client=client, kind=kind, actor=actor, received_on=received_on, fields=["restricted"])
    action = "privacy.restricted" if restricted else "privacy.restriction_lifted"
    audit.record(
        action, entity_type="client", entity_id=client.id, ward_code=client.ward_code, fields=["restricted"]
    )
    db.session.commit()


def _withdraw_consents(client: Client, actor: User | None, today: dt.date) -> None:
    # nothing may be linked to the person again: an erased client takes no new contact or referral
    db.session.execute(
        update(Consent)
        .where(Consent.client_id == client.id, Consent.withdrawn_on.is_(None))
        .values(withdrawn_on=today, withdrawal_recorded_by=actor.id if actor else None)
        .execution_options(synchronize_session=False)
    )


def erase_client(
    *,
    client: Client,
    actor: User | None,
    received_on: dt.date | None,
    source: RequestSource = RequestSource.PERSON,
    scrub: bool = True,
) -> list[str]:
    """Destroy the client's personal data; keep the code and the statistics. Returns the columns cleared."""
    _refuse_if_erased(client)
    code, ward = client.code, client.ward_code
    request = _register(
        client=client, kind=RequestKind.ERASURE, actor=actor, received_on=received_on, source=source
    )
    cleared = clear_personal_columns(client.id)
    _withdraw_consents(client, actor, request.completed_on)
    db.session.refresh(client)  # its loaded values are the ones just destroyed
    client.erased_at = utcnow()
    request.fields = cleared
    # the audit keeps the client code, which identifies nobody outside the programme
    audit.record(
        "privacy.erased",
        user_id=actor.id if actor else None,
        entity_type="client",
        entity_id=client.id,
        ward_code=ward,
        fields=cleared,
        details={"client_code": code, "source": source.value},
    )
    db.session.commit()
    if scrub:
        scrub_storage()
    return cleared
