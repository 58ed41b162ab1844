"""Needs and eligibility per service category: one row per category, decisions dated, bad input refused."""

from __future__ import annotations

import datetime as dt

import pytest

from caseapp.clients import errors
from caseapp.clients.needs import NeedDetails, record_need
from caseapp.extensions import db
from tests.clients.helpers import TODAY, audit_dump, counts, raw_row, register
from tests.factories import WARD_A, WARD_B, make_user, programme_wards

pytestmark = pytest.mark.usefixtures("app_ctx")
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def worker():  # type: ignore[no-untyped-def]
    programme_wards()
    return make_user("worker", wards=[WARD_A])


def need(**fields: object) -> NeedDetails:
    values: dict[str, object] = {"category": "psychological", "identified_on": YESTERDAY}
    values.update(fields)
    return NeedDetails(**values)  # type: ignore[arg-type]


def test_a_need_with_an_eligibility_decision(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker)
    row = record_need(
        client=client, actor=worker, need=need(eligible=True, decided_on=TODAY, basis="Canary căn cứ")
    )
    assert (row.category, row.identified_on, row.eligible, row.eligibility_decided_on) == (
        "psychological",
        YESTERDAY,
        True,
        TODAY,
    )
    assert row.eligibility_basis == "Canary căn cứ" and row.recorded_by == worker.id
    assert b"Canary" not in raw_row("needs", row.id)
    dump = audit_dump()
    assert "need.recorded" in dump and "Canary" not in dump and "psychological" not in dump


def test_the_same_category_is_updated_not_duplicated(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker)
    first = record_need(client=client, actor=worker, need=need())
    second = record_need(
        client=client, actor=worker, need=need(eligible=False, decided_on=TODAY, met_on=None)
    )
    assert first.id == second.id and second.eligible is False and len(client.needs) == 1
    before = counts()
    record_need(client=client, actor=worker, need=need(eligible=False, decided_on=TODAY))
    assert counts() == before  # nothing changed, nothing audited


@pytest.mark.parametrize(
    ("fields", "refusal", "field"),
    [
        ({"category": "astrology"}, errors.UnknownChoice, "category"),
        ({"identified_on": TODAY + dt.timedelta(days=1)}, errors.DateInFuture, "identified_on"),
        ({"identified_on": dt.date(2000, 1, 1)}, errors.DateTooOld, "identified_on"),
        ({"eligible": True}, errors.EligibilityIncomplete, "decided_on"),
        ({"decided_on": TODAY}, errors.EligibilityIncomplete, "eligible"),
        ({"basis": "vì sao"}, errors.EligibilityIncomplete, "eligible"),
        (
            {"eligible": True, "decided_on": YESTERDAY - dt.timedelta(days=1)},
            errors.DateOutOfOrder,
            "decided_on",
        ),
        ({"eligible": True, "decided_on": TODAY + dt.timedelta(days=1)}, errors.DateInFuture, "decided_on"),
        ({"met_on": YESTERDAY - dt.timedelta(days=1)}, errors.DateOutOfOrder, "met_on"),
        (
            {"eligible": True, "decided_on": TODAY, "basis": "x" * 301},
            errors.TextTooLong,
            "eligibility_basis",
        ),
    ],
)
def test_bad_needs_are_refused_and_nothing_is_written(worker, fields, refusal, field) -> None:  # type: ignore[no-untyped-def]
    client = register(worker)
    before = counts()
    with pytest.raises(refusal) as refused:
        record_need(client=client, actor=worker, need=need(**fields))
    assert refused.value.field == field
    assert counts() == before


def test_closed_and_out_of_ward_clients_take_no_needs(worker) -> None:  # type: ignore[no-untyped-def]
    client = register(worker)
    with pytest.raises(errors.NotAllowed):
        record_need(client=client, actor=make_user("worker", wards=[WARD_B]), need=need())
    with pytest.raises(errors.NotAllowed):
        record_need(client=client, actor=make_user("analyst"), need=need())
    db.session.refresh(client)
    client.status = "closed"
    db.session.commit()
    with pytest.raises(errors.ClientClosed):
        record_need(client=client, actor=worker, need=need())
