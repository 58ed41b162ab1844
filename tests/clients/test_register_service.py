"""Registration rules, at the service: consent first, minimal data, canonical formats, random codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from caseapp.clients import codes, errors
from caseapp.clients.models import Client
from caseapp.clients.services import register_client
from caseapp.core.crypto import blind_index, name_birth_year_index
from caseapp.extensions import db
from tests.clients.helpers import TODAY, audit_dump, counts, details, raw_row, register, terms
from tests.factories import WARD_A, WARD_B, make_user, programme_wards

pytestmark = pytest.mark.usefixtures("app_ctx")
CANARY_NAME = "Nguyễn Thị Canary"
CANARY_PHONE = "0912 345 678"
CANARY_ID = "001198012345"


@pytest.fixture
def worker():  # type: ignore[no-untyped-def]
    programme_wards()
    return make_user("worker", wards=[WARD_A])


def test_alias_ward_and_birth_year_are_enough(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker, consent=terms(categories=("identity",)))
    assert re.fullmatch(
        r"HN-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTWXYZ]{2}", client.code
    )
    assert client.ward_code == WARD_A and client.birth_year == 1998 and client.alias == "Hoa"
    assert client.worker_id == worker.id and client.registered_on == TODAY and client.status == "active"
    assert (client.full_name, client.phone, client.id_number, client.date_of_birth) == (
        None,
        None,
        None,
        None,
    )
    assert (client.phone_bidx, client.id_number_bidx, client.name_birth_bidx) == (None, None, None)
    (consent,) = client.consents
    assert consent.given and consent.in_force and consent.given_on == TODAY
    assert consent.purposes == ["case_management", "referral"] and consent.data_categories == ["identity"]
    assert consent.recorded_by == worker.id


def test_personal_fields_are_encrypted_and_never_audited(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(
        worker,
        alias="Canary Alias",
        full_name=CANARY_NAME,
        phone=CANARY_PHONE,
        id_number=CANARY_ID,
        date_of_birth=dt.date(1998, 3, 4),
        address="Số 7 ngõ Canary",
        notes="Canary ghi chú",
    )
    raw = raw_row("clients", client.id)
    for canary in (b"Canary", CANARY_ID.encode(), b"912345678", "Nguyễn".encode(), b"1998-03-04"):
        assert canary not in raw
    dump = audit_dump()
    assert "client.registered" in dump and "Canary" not in dump and "912345678" not in dump
    assert "full_name" in dump and "phone" in dump  # field names are audited, values never


def test_codes_are_random_not_derived_from_the_person(worker) -> None:  # type: ignore[no-untyped-def]
    first = register(worker, full_name=CANARY_NAME)
    second = register(worker, full_name=CANARY_NAME)
    assert first.code != second.code
    assert codes.normalise_code(first.code.lower().replace("-", " ")) == first.code


def test_a_colliding_code_is_drawn_again(worker, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    taken = register(worker).code
    drawn = iter([taken, taken, "HN-2345-67"])
    monkeypatch.setattr("caseapp.clients.services.new_code", lambda: next(drawn))
    assert register(worker).code == "HN-2345-67"


def test_without_consent_no_personal_field_is_stored(worker) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    with pytest.raises(errors.PersonalDataWithoutConsent) as refused:
        register(worker, consent=terms(given=False), phone=CANARY_PHONE)
    assert refused.value.fields == ("alias", "phone")
    assert counts() == before


def test_consent_must_cover_case_management(worker) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.ConsentRequired):
        register(worker, consent=terms(purposes=("anonymous_statistics",)))
    with pytest.raises(errors.PersonalDataWithoutConsent):
        register(worker, consent=terms(purposes=(), categories=()))
    assert counts()["clients"] == 0


def test_each_personal_field_needs_its_data_category(worker) -> None:  # type: ignore[no-untyped-def]
    only_identity = terms(categories=("identity",))
    with pytest.raises(errors.PersonalDataWithoutConsent) as refused:
        register(worker, consent=only_identity, phone=CANARY_PHONE, notes="x", id_number=CANARY_ID)
    assert refused.value.fields == ("notes", "phone")
    assert register(worker, consent=only_identity, id_number=CANARY_ID).id_number == CANARY_ID


def test_unknown_consent_options_are_refused(worker) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.UnknownChoice) as refused:
        register(worker, consent=terms(purposes=("case_management", "marketing")))
    assert refused.value.field == "purposes"
    with pytest.raises(errors.UnknownChoice):
        register(worker, consent=terms(categories=("identity", "biometrics")))


@pytest.mark.parametrize("days", [1, 800])
def test_consent_date_must_be_plausible(worker, days: int) -> None:  # type: ignore[no-untyped-def]
    on = TODAY + dt.timedelta(days=days) if days == 1 else TODAY - dt.timedelta(days=days)
    with pytest.raises((errors.DateInFuture, errors.DateTooOld)) as refused:
        register(worker, consent=terms(on=on))
    assert refused.value.field == "consent_date"


def test_ward_must_be_one_of_the_actors_programme_wards(worker) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.WardNotAllowed):
        register(worker, ward=WARD_B)
    outside = make_user("worker", wards=[WARD_A, 25])  # Giảng Võ is not in a programme cohort here
    with pytest.raises(errors.WardNotAllowed):
        register(outside, ward=25)
    with pytest.raises(errors.WardNotAllowed):
        register(make_user("analyst"), ward=WARD_A)
    assert counts()["clients"] == 0


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912 345 678", "+84912345678"),
        ("(+84) 912.345.678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0084 912 345 678", "+84912345678"),
        ("024 3823 4567", "+842438234567"),
    ],
)
def test_phone_numbers_are_stored_in_one_form(worker, typed: str, stored: str) -> None:  # type: ignore[no-untyped-def]
    client = register(worker, phone=typed)
    assert client.phone == stored and client.phone_bidx == blind_index("phone", stored)


@pytest.mark.parametrize("typed", ["12345", "0112 345 678", "+1 415 555 0100", "091234567890", "không có"])
def test_non_vietnamese_phone_numbers_are_refused(worker, typed: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.InvalidPhone):
        register(worker, phone=typed)


def test_cccd_has_exactly_12_digits(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker, id_number=" 0011 9801 2345 ")
    assert client.id_number == CANARY_ID and client.id_number_bidx == blind_index("id_number", CANARY_ID)
    for bad in ("00119801234", "0011980123456", "00119801234A", "０01198012345x", "١٢٣٤٥٦٧٨٩٠١٢"):
        with pytest.raises(errors.InvalidIdNumber):
            register(worker, id_number=bad)


def test_dates_and_birth_year_must_be_consistent(worker) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.DateInFuture):
        register(worker, birth_year=TODAY.year - 10, date_of_birth=TODAY + dt.timedelta(days=1))
    with pytest.raises(errors.BirthDateMismatch):
        register(worker, birth_year=1998, date_of_birth=dt.date(1997, 12, 31))
    for year in (TODAY.year - 101, TODAY.year - 9, 3000):
        with pytest.raises(errors.InvalidBirthYear):
            register(worker, birth_year=year)
    assert counts()["clients"] == 0


@pytest.mark.parametrize(
    ("field", "limit"), [("alias", 60), ("full_name", 120), ("address", 300), ("notes", 2000)]
)
def test_oversize_text_is_refused(worker, field: str, limit: int) -> None:  # type: ignore[no-untyped-def]
    fields = {"alias": "Hoa", field: "ạ" * (limit + 1)}
    with pytest.raises(errors.TextTooLong) as refused:
        register(worker, **fields)
    assert refused.value.field == field
    assert getattr(register(worker, **{**fields, field: "ạ" * limit}), field) == "ạ" * limit


def test_alias_is_required(worker) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.AliasRequired):
        register(worker, alias="   ")


def test_name_and_birth_year_index_is_set(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker, full_name="  Trần  THỊ Đào ", birth_year=1990)
    assert client.name_birth_bidx == name_birth_year_index("tran thi dao", 1990)
    assert client.full_name == "Trần  THỊ Đào"  # stored as typed (trimmed); only the index is normalised


def test_supervisor_registers_without_assigning_themselves(worker) -> None:  # type: ignore[no-untyped-def]
    supervisor = make_user("supervisor", wards=[WARD_A])
    assert register(supervisor).worker_id is None


def test_register_refuses_clients_when_called_directly_without_terms(worker) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.PersonalDataWithoutConsent):
        register_client(
            actor=worker, ward_code=WARD_A, details=details(), consent=terms(given=False, categories=())
        )
    assert db.session.query(Client).count() == 0
