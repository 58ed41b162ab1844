"""Referral rules at the service: who may refer what, the status machine, dates, history, versions."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from sqlalchemy import func, select, update

from caseapp.contacts import client_rules
from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from caseapp.referrals import services
from caseapp.referrals.models import TRANSITIONS, Referral, ReferralEvent, ReferralStatus
from tests.contacts.helpers import TODAY, consented_client, counts, make_provider
from tests.factories import WARD_A, WARD_B, make_user

pytestmark = pytest.mark.usefixtures("app_ctx")
EARLY = TODAY - dt.timedelta(days=40)


def refer(actor: Any, client: Any = None, **overrides: Any) -> Referral:
    values: dict[str, Any] = {
        "actor": actor,
        "client": client or consented_client(),
        "category": "psychological",
        "provider": None,
        "referred_on": EARLY,
        "today": TODAY,
    }
    values.update(overrides)
    return services.refer_client(**values)


def move(actor: Any, referral: Referral, status: str, on: dt.date = TODAY, **overrides: Any) -> Referral:
    values: dict[str, Any] = {
        "actor": actor,
        "referral": referral,
        "status": status,
        "occurred_on": on,
        "expected_version": referral.version,
        "today": TODAY,
    }
    values.update(overrides)
    return services.change_status(**values)


def test_a_referral_starts_its_history_in_the_clients_ward() -> None:
    worker = make_user("worker", wards=[WARD_A, WARD_B])
    client = consented_client(WARD_B)
    provider = make_provider(categories=["psychological"], wards=[WARD_B])
    referral = refer(worker, client, provider=provider, notes="CANARY-ref-notes")
    assert referral.ward_code == WARD_B and referral.status == "referred" and referral.created_by == worker.id
    assert [(e.status, e.occurred_on, e.user_id) for e in referral.events] == [("referred", EARLY, worker.id)]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.created")).one()
    assert "notes" in event.details["fields"] and "CANARY" not in str(event.details)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"category": "astrology"}, services.UnknownCategory),
        ({"referred_on": TODAY + dt.timedelta(days=1)}, services.ReferralDateInFuture),
        ({"referred_on": dt.date(TODAY.year - 2, 6, 1)}, services.ReferralDateTooOld),
        ({"notes": "x" * 2001}, services.NotesTooLong),
    ],
)
def test_bad_referrals_are_refused_and_nothing_is_written(overrides: dict[str, Any], error: type) -> None:
    worker = make_user("worker")
    client = consented_client()
    before = counts()
    with pytest.raises(error):
        refer(worker, client, **overrides)
    assert counts() == before


def test_provider_must_offer_the_service_in_the_clients_ward() -> None:
    worker = make_user("worker")
    client = consented_client(WARD_A)
    wrong_service = make_provider(categories=["legal"])
    other_ward = make_provider(categories=["psychological"], wards=[WARD_B])
    inactive = make_provider(categories=["psychological"], active=False)
    for provider in (wrong_service, other_ward, inactive):
        with pytest.raises(services.ProviderNotOffering):
            refer(worker, client, provider=provider)
    citywide = make_provider(categories=["psychological"])
    assert refer(worker, client, provider=citywide).provider_id == citywide.id


def test_client_rules_apply_to_referrals() -> None:
    worker = make_user("worker", wards=[WARD_A])
    cases = [
        (consented_client(WARD_B), client_rules.ClientOutOfScope),
        (consented_client(status="closed"), client_rules.ClientClosed),
        (consented_client(withdrawn=True), client_rules.ConsentNotInForce),
    ]
    for client, error in cases:
        with pytest.raises(error):
            refer(worker, client)
    assert db.session.scalar(select(func.count()).select_from(Referral)) == 0


@pytest.mark.parametrize(("current", "wanted"), list(itertools.product(ReferralStatus, ReferralStatus)))
def test_every_transition_follows_the_table(current: ReferralStatus, wanted: ReferralStatus) -> None:
    worker = make_user("worker")
    referral = refer(worker)
    path = {"accepted": ["accepted"], "received": ["accepted", "received"]}.get(
        current.value, [current.value]
    )
    for step in path if current != ReferralStatus.REFERRED else []:
        referral = move(worker, referral, step, on=EARLY)
    assert referral.status == current.value
    events_before = len(referral.events)
    if wanted in TRANSITIONS[current]:
        assert move(worker, referral, wanted.value).status == wanted.value
        assert len(referral.events) == events_before + 1
    else:
        with pytest.raises(services.InvalidTransition):
            move(worker, referral, wanted.value)
        db.session.expire_all()
        assert referral.status == current.value and len(referral.events) == events_before


def test_received_sets_the_date_the_indicator_counts_and_history_is_kept() -> None:
    worker = make_user("worker")
    supervisor = make_user("supervisor")
    referral = refer(worker)
    accepted_on, received_on = EARLY + dt.timedelta(days=3), EARLY + dt.timedelta(days=10)
    move(worker, referral, "accepted", on=accepted_on)
    move(supervisor, referral, "received", on=received_on)
    db.session.expire_all()
    assert referral.received_on == received_on and referral.status_changed_on == received_on
    history = [(e.status, e.occurred_on, e.user_id) for e in referral.events]
    assert history == [
        ("referred", EARLY, worker.id),
        ("accepted", accepted_on, worker.id),
        ("received", received_on, supervisor.id),
    ]


def test_status_dates_are_checked() -> None:
    worker = make_user("worker")
    referral = refer(worker)
    with pytest.raises(services.ReferralDateInFuture):
        move(worker, referral, "accepted", on=TODAY + dt.timedelta(days=1))
    with pytest.raises(services.StatusDateBeforeReferral):
        move(worker, referral, "accepted", on=EARLY - dt.timedelta(days=1))
    move(worker, referral, "accepted", on=EARLY + dt.timedelta(days=5))
    with pytest.raises(services.StatusDateBeforePrevious):
        move(worker, referral, "received", on=EARLY + dt.timedelta(days=4))
    assert referral.status == "accepted" and referral.received_on is None


def test_unknown_status_and_other_roles_are_refused() -> None:
    worker = make_user("worker", wards=[WARD_A])
    referral = refer(worker)
    with pytest.raises(services.UnknownStatus):
        move(worker, referral, "teleported")
    for actor in (make_user("worker", wards=[WARD_B]), make_user("analyst"), make_user("admin")):
        with pytest.raises(services.ReferralOutOfScope):
            move(actor, referral, "accepted")


def test_a_stale_version_is_refused_never_overwritten() -> None:
    worker = make_user("worker")
    referral = refer(worker)
    old_version = referral.version
    move(worker, referral, "accepted")
    with pytest.raises(services.StaleReferral):
        move(worker, referral, "cancelled", expected_version=old_version)
    assert referral.status == "accepted"


def test_a_concurrent_save_between_read_and_write_is_caught_by_the_version_column() -> None:
    worker = make_user("worker")
    referral = refer(worker)
    loaded_version = referral.version
    assert len(referral.events) == 1
    # keep our loaded copy while another request saves the referral (a direct UPDATE on its own connection)
    db.session.expunge(referral)
    db.session.commit()
    with db.engine.begin() as conn:
        conn.execute(update(Referral.__table__).values(version=loaded_version + 1, status="cancelled"))
    db.session.add(referral)
    with pytest.raises(services.StaleReferral):
        move(worker, referral, "accepted", expected_version=loaded_version)
    db.session.expire_all()
    stored = db.session.scalars(select(Referral)).one()
    assert stored.status == "cancelled"
    assert db.session.scalar(select(func.count()).select_from(ReferralEvent)) == 1
