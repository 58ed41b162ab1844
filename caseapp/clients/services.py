"""Writes to clients: register with consent, edit without silent overwrites, audit views of personal data."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from caseapp.clients import errors, rules
from caseapp.clients.codes import new_code
from caseapp.clients.consents import consent_in_force
from caseapp.clients.models import Client, Consent, ConsentPurpose, DataCategory, Sex
from caseapp.clients.queries import possible_duplicates
from caseapp.core import audit
from caseapp.core.access import CASEWORK_ROLES, Role, ward_codes_of
from caseapp.core.clock import hanoi_today
from caseapp.core.crypto import blind_index, name_birth_year_index
from caseapp.extensions import db
from caseapp.users.models import User
from caseapp.wards.models import Ward

# collisions are rare (29^6 codes); a few retries make one practically impossible
CODE_ATTEMPTS = 8


@dataclass(frozen=True)
class ClientDetails:
    """What a worker records about a client; only alias and birth year are required."""

    alias: str
    birth_year: int
    sex: str = Sex.UNKNOWN.value
    migrant: bool | None = None
    full_name: str | None = None
    phone: str | None = None
    id_number: str | None = None
    date_of_birth: dt.date | None = None
    address: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class ConsentTerms:
    """The consent as recorded on the registration form: nothing is assumed, everything is ticked."""

    given: bool
    purposes: Sequence[str]
    data_categories: Sequence[str]
    given_on: dt.date


def _clean(details: ClientDetails, today: dt.date) -> ClientDetails:
    """Trimmed, length-checked, canonical values (phone +84…, 12-digit CCCD), or a named refusal."""
    texts = {
        name: rules.clean_text(getattr(details, name))
        for name in ("alias", "full_name", "phone", "id_number", "address", "notes")
    }
    for name, value in texts.items():
        rules.check_length(name, value)
    if texts["alias"] is None:
        raise errors.AliasRequired()
    if details.sex not in set(Sex):
        raise errors.UnknownChoice("sex")
    rules.check_birth_year(details.birth_year, today)
    rules.check_date_of_birth(details.date_of_birth, details.birth_year, today)
    if texts["phone"] is not None:
        texts["phone"] = rules.canonical_phone(texts["phone"])
    if texts["id_number"] is not None:
        texts["id_number"] = rules.canonical_id_number(texts["id_number"])
    return ClientDetails(**{**asdict(details), **texts})


def _check_actor_ward(actor: User, ward_code: int) -> None:
    if Role(actor.role) not in CASEWORK_ROLES or ward_code not in ward_codes_of(actor):
        raise errors.WardNotAllowed()


def _check_consent(consent: ConsentTerms, details: ClientDetails, today: dt.date) -> None:
    rules.check_choices("purposes", consent.purposes, set(ConsentPurpose))
    rules.check_choices("data_categories", consent.data_categories, set(DataCategory))
    categories = consent.data_categories if consent.given else ()
    uncovered = rules.uncovered_fields(asdict(details), categories)
    if uncovered:
        raise errors.PersonalDataWithoutConsent(fields=uncovered)
    if not consent.given or ConsentPurpose.CASE_MANAGEMENT.value not in consent.purposes:
        raise errors.ConsentRequired()
    rules.check_past_date("consent_date", consent.given_on, today)


def _set_details(client: Client, details: ClientDetails) -> None:
    """Copy the details onto the client and recompute every blind index from them."""
    indexes = {
        "phone_bidx": blind_index("phone", details.phone) if details.phone else None,
        "id_number_bidx": blind_index("id_number", details.id_number) if details.id_number else None,
        "name_birth_bidx": (
            name_birth_year_index(details.full_name, details.birth_year) if details.full_name else None
        ),
    }
    for name, value in {**asdict(details), **indexes}.items():
        if getattr(client, name) != value:  # unchanged values are not re-encrypted or rewritten
            setattr(client, name, value)


def _unused_code() -> str:
    for _ in range(CODE_ATTEMPTS):
        code = new_code()
        if db.session.scalar(select(Client.id).where(Client.code == code)) is None:
            return code
    raise RuntimeError("could not draw an unused client code")  # 29^6 codes: this means a broken generator


def register_client(
    *,
    actor: User,
    ward_code: int,
    details: ClientDetails,
    consent: ConsentTerms,
    allow_duplicate: bool = False,
    today: dt.date | None = None,
) -> Client:
    """Register a client with their consent, in one of the actor's programme wards."""
    today = today or hanoi_today()
    _check_actor_ward(actor, ward_code)
    ward = db.session.get(Ward, ward_code)
    if ward is None or ward.cohort is None or not ward.active:
        raise errors.WardNotAllowed()
    details = _clean(details, today)
    _check_consent(consent, details, today)
    if not allow_duplicate:
        codes = possible_duplicates(
            actor,
            phone=details.phone,
            id_number=details.id_number,
            full_name=details.full_name,
            birth_year=details.birth_year,
        )
        if codes:
            raise errors.PossibleDuplicate(codes)
    client = Client(
        code=_unused_code(),
        ward_code=ward_code,
        worker_id=actor.id if actor.role == Role.WORKER.value else None,
        registered_on=today,
        created_by=actor.id,
    )
    _set_details(client, details)
    client.consents.append(
        Consent(
            given=True,
            purposes=sorted(set(consent.purposes), key=list(ConsentPurpose).index),
            data_categories=sorted(set(consent.data_categories), key=list(DataCategory).index),
            given_on=consent.given_on,
            recorded_by=actor.id,
        )
    )
    db.session.add(client)
    db.session.flush()
    audit.record(
        "client.registered",
        user_id=actor.id,
        entity_type="client",
        entity_id=client.id,
        ward_code=ward_code,
        fields=[*_filled(details), "ward_code", "consent"],
        details={"duplicate_confirmed": allow_duplicate},
    )
    db.session.commit()
    return client


def _filled(details: ClientDetails) -> list[str]:
    return [name for name, value in asdict(details).items() if value not in (None, "")]


def _changed(client: Client, details: ClientDetails) -> list[str]:
    return [name for name, value in asdict(details).items() if getattr(client, name) != value]


def check_can_edit(client: Client, actor: User) -> None:
    """The actor may change this client's record at all (own ward, not erased)."""
    _check_actor_ward(actor, client.ward_code)
    if client.erased_at is not None:
        raise errors.ClientErased()


def update_client(
    *,
    client: Client,
    actor: User,
    expected_version: int,
    details: ClientDetails,
    today: dt.date | None = None,
) -> list[str]:
    """Save an edit made on a form opened at `expected_version`; returns the names of the changed fields."""
    today = today or hanoi_today()
    check_can_edit(client, actor)
    if client.version != expected_version:
        raise errors.StaleClient()
    details = _clean(details, today)
    changed = _changed(client, details)
    personal = [name for name in changed if name in rules.PERSONAL_FIELDS]
    consent = consent_in_force(client)
    if personal and consent is None:
        raise errors.ConsentWithdrawn(fields=personal)
    categories = consent.data_categories if consent is not None else ()
    uncovered = rules.uncovered_fields({name: getattr(details, name) for name in personal}, categories)
    if uncovered:
        raise errors.PersonalDataWithoutConsent(fields=uncovered)
    if not changed:
        return []
    _set_details(client, details)
    flush_or_stale()
    audit.record(
        "client.updated",
        user_id=actor.id,
        entity_type="client",
        entity_id=client.id,
        ward_code=client.ward_code,
        fields=changed,
    )
    db.session.commit()
    return changed


def flush_or_stale() -> None:
    """Write the changes now; if another save bumped the client's version meanwhile, roll back and say so."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise errors.StaleClient() from None


def record_client_view(*, client: Client, actor: User, page: str = "detail") -> None:
    """Audit that `actor` saw a client's personal data (ids only)."""
    audit.record(
        "client.viewed",
        user_id=actor.id,
        entity_type="client",
        entity_id=client.id,
        ward_code=client.ward_code,
        details={"page": page},
    )
    db.session.commit()


def record_list_view(*, client_ids: Iterable[uuid.UUID], actor: User, kind: str) -> None:
    """Audit a list that showed clients' aliases, or a search that found them: which clients, never what."""
    ids = [str(i) for i in client_ids]
    if kind == "caseload" and not ids:
        return
    audit.record(
        "client.listed" if kind == "caseload" else "client.searched",
        user_id=actor.id,
        entity_type="client",
        details={"kind": kind, "client_ids": ids},
    )
    db.session.commit()


def withdraw_consent(
    *, client: Client, actor: User, withdrawn_on: dt.date, today: dt.date | None = None
) -> Consent:
    """Record that the person withdrew consent on `withdrawn_on`; the record becomes restricted."""
    today = today or hanoi_today()
    if Role(actor.role) not in CASEWORK_ROLES or client.ward_code not in ward_codes_of(actor):
        raise errors.NotAllowed()
    consent = consent_in_force(client)
    if consent is None:
        raise errors.ConsentNotInForce()
    if withdrawn_on > today:
        raise errors.DateInFuture("withdrawn_on")
    rules.check_not_before("withdrawn_on", withdrawn_on, consent.given_on)
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_recorded_by = actor.id
    # without consent nobody processes the record further: workers lose it, supervisors see it flagged
    client.restricted = True
    flush_or_stale()
    audit.record(
        "consent.withdrawn",
        user_id=actor.id,
        entity_type="client",
        entity_id=client.id,
        ward_code=client.ward_code,
        fields=["withdrawn_on", "withdrawal_recorded_by", "restricted"],
        details={"consent_id": str(consent.id)},
    )
    db.session.commit()
    return consent
