"""Duplicate check on registration: blind indexes find candidates, only in the actor's wards, codes only."""

from __future__ import annotations

import pytest

from caseapp.clients import errors
from caseapp.clients.queries import find_by_phone_or_id, possible_duplicates
from caseapp.clients.services import withdraw_consent
from caseapp.core.crypto import blind_index
from caseapp.extensions import db
from tests.clients.helpers import TODAY, counts, register
from tests.factories import WARD_A, WARD_B, make_user, programme_wards

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture
def worker():  # type: ignore[no-untyped-def]
    programme_wards()
    return make_user("worker", wards=[WARD_A])


def new(worker, **fields):  # type: ignore[no-untyped-def]
    return register(worker, allow_duplicate=False, **fields)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"phone": "0912345678"}, {"phone": "+84 912 345 678"}),
        ({"id_number": "001198012345"}, {"id_number": "0011 9801 2345"}),
        ({"full_name": "Nguyễn Thị Đào"}, {"full_name": "nguyen  thi dao"}),
    ],
)
def test_same_phone_id_or_name_and_year_in_my_wards_is_flagged(worker, first, second) -> None:  # type: ignore[no-untyped-def]
    existing = new(worker, **first)
    before = counts()
    with pytest.raises(errors.PossibleDuplicate) as flagged:
        new(worker, alias="Lan", **second)
    assert flagged.value.codes == (existing.code,)
    assert counts() == before
    confirmed = register(worker, alias="Lan", allow_duplicate=True, **second)
    assert confirmed.code != existing.code


def test_same_name_other_birth_year_is_not_flagged(worker) -> None:  # type: ignore[no-untyped-def]
    new(worker, full_name="Nguyễn Thị Đào", birth_year=1990)
    assert new(worker, full_name="Nguyễn Thị Đào", birth_year=1991).code


def test_a_match_in_another_ward_gives_no_hint(worker) -> None:  # type: ignore[no-untyped-def]
    other = make_user("worker", wards=[WARD_B])
    new(other, ward=WARD_B, phone="0912345678", id_number="001198012345", full_name="Trần Văn Canary")
    mine = new(worker, phone="0912345678", id_number="001198012345", full_name="Trần Văn Canary")
    assert mine.ward_code == WARD_A
    assert possible_duplicates(
        worker, phone="0912345678", id_number=None, full_name=None, birth_year=1998
    ) == [mine.code]


def test_a_shared_index_bucket_is_not_a_match(worker) -> None:  # type: ignore[no-untyped-def]
    # blind indexes are truncated on purpose; the decrypted value decides
    client = new(worker, phone="0912345678")
    assert client.phone == "+84912345678"  # loads the expired row before changing it
    client.phone_bidx = blind_index("phone", "0987654321")
    db.session.commit()
    assert new(worker, phone="0987654321").phone == "+84987654321"


def test_restricted_clients_are_not_hinted_to_workers(worker) -> None:  # type: ignore[no-untyped-def]
    client = new(worker, phone="0912345678")
    withdraw_consent(client=client, actor=worker, withdrawn_on=TODAY)
    assert new(worker, phone="0912345678").code
    supervisor = make_user("supervisor", wards=[WARD_A])
    with pytest.raises(errors.PossibleDuplicate) as flagged:
        new(supervisor, phone="0912345678")
    assert client.code in flagged.value.codes


def test_exact_search_by_phone_or_cccd_stays_in_scope(worker) -> None:  # type: ignore[no-untyped-def]
    mine = new(worker, phone="0912345678", id_number="001198012345")
    other = make_user("worker", wards=[WARD_B])
    register(other, ward=WARD_B, phone="0912345678")
    assert find_by_phone_or_id(worker, "+84 912 345 678") == [mine]
    assert find_by_phone_or_id(worker, "0011-9801-2345") == [mine]
    assert find_by_phone_or_id(worker, "0912345679") == []
    assert find_by_phone_or_id(worker, "không phải số") == []
    assert find_by_phone_or_id(make_user("analyst"), "0912345678") == []


def test_a_lookup_opens_only_the_fields_it_needs(worker) -> None:  # type: ignore[no-untyped-def]
    """Candidates of a truncated blind index are opened to decide; their other personal fields stay sealed."""
    from sqlalchemy import inspect

    client = new(worker, phone="0912345678", full_name="Lê Thị Hoa", notes="ghi chú", address="Ngõ 5")
    db.session.expunge(client)
    [found] = find_by_phone_or_id(worker, "0912345678")
    unloaded = inspect(found).unloaded
    assert {"full_name", "notes", "address", "date_of_birth"} <= unloaded
    assert "phone" not in unloaded and "alias" not in unloaded
    assert possible_duplicates(worker, phone="0912345678", id_number=None, full_name=None, birth_year=1990)
