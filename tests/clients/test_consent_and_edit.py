"""Consent withdrawal and editing: restricted after withdrawal, no silent overwrite of a concurrent save."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from caseapp.clients import errors
from caseapp.clients.models import Client
from caseapp.clients.needs import NeedDetails, record_need
from caseapp.clients.queries import clients_visible_to
from caseapp.clients.services import ClientDetails, update_client, withdraw_consent
from caseapp.core.crypto import blind_index, name_birth_year_index
from caseapp.extensions import db
from tests.clients.helpers import TODAY, audit_dump, counts, register, terms
from tests.factories import WARD_A, make_user, programme_wards

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture
def worker():  # type: ignore[no-untyped-def]
    programme_wards()
    return make_user("worker", wards=[WARD_A])


def edited(client: Client, **changes: object) -> ClientDetails:
    fields = {name: getattr(client, name) for name in ClientDetails.__dataclass_fields__}
    return ClientDetails(**{**fields, **changes})  # type: ignore[arg-type]


def test_edit_changes_fields_and_recomputes_blind_indexes(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker, phone="0912345678", full_name="Lê Thị Mai")
    changed = update_client(
        client=client,
        actor=worker,
        expected_version=client.version,
        details=edited(client, phone="0987 654 321", full_name=None, birth_year=1997),
    )
    assert changed == ["birth_year", "full_name", "phone"]
    assert client.phone == "+84987654321" and client.phone_bidx == blind_index("phone", "+84987654321")
    assert client.full_name is None and client.name_birth_bidx is None
    assert client.version == 2
    assert '"fields": ["birth_year", "full_name", "phone"]' in audit_dump().replace("'", '"')


def test_name_index_follows_the_birth_year(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker, full_name="Lê Thị Mai", birth_year=1990)
    update_client(client=client, actor=worker, expected_version=1, details=edited(client, birth_year=1991))
    assert client.name_birth_bidx == name_birth_year_index("Lê Thị Mai", 1991)


def test_saving_an_unchanged_form_writes_nothing(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker, phone="0912345678")
    before = counts()
    assert update_client(client=client, actor=worker, expected_version=1, details=edited(client)) == []
    assert counts() == before and client.version == 1


def test_a_form_opened_before_another_save_is_refused(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker)
    update_client(client=client, actor=worker, expected_version=1, details=edited(client, alias="Hoa A"))
    before = counts()
    with pytest.raises(errors.StaleClient):
        update_client(client=client, actor=worker, expected_version=1, details=edited(client, alias="Hoa B"))
    db.session.expire_all()
    assert client.alias == "Hoa A" and counts() == before


def test_a_save_committed_meanwhile_by_another_process_is_not_overwritten(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker)
    assert client.version == 1
    # another process commits a change after this one loaded the row (the identity map still says 1)
    table = Client.__table__
    db.session.connection().execute(
        update(table).where(table.c.id == client.id).values(version=table.c.version + 1)
    )
    with pytest.raises(errors.StaleClient):
        update_client(client=client, actor=worker, expected_version=1, details=edited(client, alias="Mai"))
    db.session.expire_all()
    assert client.alias == "Hoa"


def test_adding_a_field_the_consent_does_not_cover_is_refused(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker, consent=terms(categories=("identity",)))
    with pytest.raises(errors.PersonalDataWithoutConsent) as refused:
        update_client(
            client=client, actor=worker, expected_version=1, details=edited(client, address="Hà Nội")
        )
    assert refused.value.fields == ("address",)


def test_bad_values_are_refused_on_edit_too(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker)
    for changes, refusal in [
        ({"id_number": "12345"}, errors.InvalidIdNumber),
        ({"phone": "12"}, errors.InvalidPhone),
        ({"date_of_birth": TODAY + dt.timedelta(days=3)}, errors.DateInFuture),
        ({"notes": "x" * 2001}, errors.TextTooLong),
        ({"sex": "robot"}, errors.UnknownChoice),
    ]:
        with pytest.raises(refusal):
            update_client(client=client, actor=worker, expected_version=1, details=edited(client, **changes))
    db.session.expire_all()
    assert client.version == 1


def test_withdrawal_restricts_the_record(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker, phone="0912345678")
    consent = withdraw_consent(client=client, actor=worker, withdrawn_on=TODAY)
    assert consent.withdrawn_on == TODAY and consent.withdrawal_recorded_by == worker.id
    assert not consent.in_force and client.restricted
    supervisor = make_user("supervisor", wards=[WARD_A])
    assert client not in db.session.scalars(clients_visible_to(worker)).all()
    assert client in db.session.scalars(clients_visible_to(supervisor)).all()
    assert "consent.withdrawn" in audit_dump()


def test_after_withdrawal_personal_fields_cannot_be_edited(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker, phone="0912345678")
    withdraw_consent(client=client, actor=worker, withdrawn_on=TODAY)
    supervisor = make_user("supervisor", wards=[WARD_A])
    for change in ({"phone": "0987654321"}, {"phone": None}, {"alias": "Mai"}):
        with pytest.raises(errors.ConsentWithdrawn):
            update_client(
                client=client, actor=supervisor, expected_version=2, details=edited(client, **change)
            )
    # statistics fields are not personal data: they stay correctable
    assert update_client(
        client=client, actor=supervisor, expected_version=2, details=edited(client, sex="female")
    )
    need = NeedDetails(category="health", identified_on=TODAY)
    with pytest.raises(errors.ConsentWithdrawn):
        record_need(client=client, actor=supervisor, need=need)


def test_withdrawal_dates_and_repeats_are_checked(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker, consent=terms(on=TODAY - dt.timedelta(days=10)))
    with pytest.raises(errors.DateInFuture):
        withdraw_consent(client=client, actor=worker, withdrawn_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(errors.DateOutOfOrder):
        withdraw_consent(client=client, actor=worker, withdrawn_on=TODAY - dt.timedelta(days=11))
    with pytest.raises(errors.NotAllowed):
        withdraw_consent(client=client, actor=make_user("worker", wards=[8]), withdrawn_on=TODAY)
    withdraw_consent(client=client, actor=worker, withdrawn_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(errors.ConsentNotInForce):
        withdraw_consent(client=client, actor=make_user("supervisor", wards=[WARD_A]), withdrawn_on=TODAY)


def test_erased_clients_cannot_be_edited(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker)
    db.session.refresh(client)  # load the expired row before changing it (see the crypto ORM events)
    client.erased_at = dt.datetime(2026, 1, 1)
    db.session.commit()
    with pytest.raises(errors.ClientErased):
        update_client(client=client, actor=worker, expected_version=2, details=edited(client, sex="male"))


def test_another_wards_worker_cannot_edit(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker)
    with pytest.raises(errors.WardNotAllowed):
        update_client(
            client=client, actor=make_user("worker", wards=[8]), expected_version=1, details=edited(client)
        )
