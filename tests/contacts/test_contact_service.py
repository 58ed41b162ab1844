"""Contact rules, at the service: dates, wards, channels, topics, closed cases, consent, follow-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from caseapp.contacts import client_rules, services
from caseapp.contacts.models import Contact
from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from tests.contacts.helpers import TODAY, consented_client, counts
from tests.factories import WARD_A, WARD_B, make_user

pytestmark = pytest.mark.usefixtures("app_ctx")


def log(actor: Any, **overrides: Any) -> Contact:
    values: dict[str, Any] = {
        "actor": actor,
        "ward_code": WARD_A,
        "contact_date": TODAY,
        "channel": "outreach",
        "topics": ["health"],
        "today": TODAY,
    }
    values.update(overrides)
    return services.log_contact(**values)


def test_anonymous_contact_is_counted_with_nobody_linked() -> None:
    worker = make_user("worker")
    contact = log(worker, notes="  gặp ở công viên  ")
    assert contact.anonymous and contact.client_id is None
    assert contact.worker_id == worker.id and contact.notes == "gặp ở công viên"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contact.created")).one()
    assert event.details["anonymous"] is True and "notes" in event.details["fields"]
    assert "công viên" not in str(event.details)  # fields named, never values


def test_linked_contact_records_topics_in_a_stable_order() -> None:
    worker = make_user("worker")
    client = consented_client()
    contact = log(worker, client=client, topics=["legal", "health", "legal"], duration_minutes=20)
    assert contact.client_id == client.id and contact.topics == ["legal", "health"]  # the Topic order


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"contact_date": TODAY + dt.timedelta(days=1)}, services.ContactDateInFuture),
        ({"contact_date": dt.date(TODAY.year - 2, 12, 31)}, services.ContactDateTooOld),
        ({"channel": "carrier-pigeon"}, services.UnknownChannel),
        ({"topics": ["health", "astrology"]}, services.UnknownTopic),
        ({"ward_code": WARD_B}, services.WardNotAllowed),
        ({"duration_minutes": 0}, services.InvalidDuration),
        ({"duration_minutes": 601}, services.InvalidDuration),
        ({"notes": "x" * 2001}, services.NotesTooLong),
        ({"next_follow_up_on": TODAY}, services.FollowUpNeedsClient),
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_written(overrides: dict[str, Any], error: type) -> None:
    worker = make_user("worker", wards=[WARD_A])
    before = counts()
    with pytest.raises(error):
        log(worker, **overrides)
    assert counts() == before


def test_follow_up_dates_must_follow_the_contact_and_be_within_a_year() -> None:
    worker = make_user("worker")
    client = consented_client()
    day = TODAY - dt.timedelta(days=10)
    with pytest.raises(services.FollowUpBeforeContact):
        log(worker, client=client, contact_date=day, next_follow_up_on=day - dt.timedelta(days=1))
    with pytest.raises(services.FollowUpTooFar):
        log(worker, client=client, next_follow_up_on=TODAY + dt.timedelta(days=400))
    ok = log(worker, client=client, contact_date=day, next_follow_up_on=day)
    assert ok.next_follow_up_on == day


def test_a_closed_case_takes_no_new_contacts() -> None:
    worker = make_user("worker")
    client = consented_client(status="closed")
    before = counts()
    with pytest.raises(client_rules.ClientClosed):
        log(worker, client=client)
    assert counts() == before
    assert log(worker).anonymous  # the worker can still count the meeting anonymously


def test_without_consent_in_force_a_contact_cannot_be_linked() -> None:
    worker = make_user("worker")
    for client in (consented_client(consent=False), consented_client(withdrawn=True)):
        with pytest.raises(client_rules.ConsentNotInForce):
            log(worker, client=client)
    assert db.session.scalar(select(Contact).where(Contact.client_id.is_not(None))) is None


def test_another_wards_client_is_refused_even_if_the_view_forgot() -> None:
    worker = make_user("worker", wards=[WARD_A])
    other = consented_client(WARD_B)
    with pytest.raises(client_rules.ClientOutOfScope):
        log(worker, client=other)


def test_analysts_and_admins_cannot_log_contacts() -> None:
    for role in ("analyst", "admin"):
        with pytest.raises(services.WardNotAllowed):
            log(make_user(role))


def test_a_new_contact_closes_the_clients_follow_ups_due_by_then() -> None:
    worker = make_user("worker")
    client = consented_client()
    first = log(
        worker,
        client=client,
        contact_date=TODAY - dt.timedelta(days=20),
        next_follow_up_on=TODAY - dt.timedelta(days=10),
    )
    later = log(
        worker,
        client=client,
        contact_date=TODAY - dt.timedelta(days=5),
        next_follow_up_on=TODAY + dt.timedelta(days=3),
    )
    log(worker, client=client, contact_date=TODAY - dt.timedelta(days=4))
    db.session.expire_all()
    assert first.follow_up_done is True and later.follow_up_done is False


def test_mark_follow_up_done_is_audited_once() -> None:
    worker = make_user("worker")
    client = consented_client()
    contact = log(worker, client=client, next_follow_up_on=TODAY + dt.timedelta(days=2))
    assert services.mark_follow_up_done(contact=contact, actor=worker) is True
    assert services.mark_follow_up_done(contact=contact, actor=worker) is False
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("contact.follow_up_done") == 1


def test_notes_are_encrypted_at_rest() -> None:
    worker = make_user("worker")
    canary = "CANARY-ghi-chú-7781"
    contact = log(worker, notes=canary)
    raw = db.session.execute(
        select(Contact.__table__.c.notes).where(Contact.__table__.c.id == contact.id)
    ).scalar_one()
    assert canary.encode() not in bytes(raw)


def test_a_restricted_or_erased_record_takes_nothing_new() -> None:
    supervisor = make_user("supervisor")  # supervisors still see restricted records
    for fields in ({"restricted": True}, {"erased_at": dt.datetime(2026, 1, 1)}):
        with pytest.raises(client_rules.ClientRestricted):
            log(supervisor, client=consented_client(**fields))
