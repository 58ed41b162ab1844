"""Random form data posted to every contact form: never a 5xx, never a partial or rule-breaking write."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from caseapp.contacts.dates import earliest_plausible
from caseapp.contacts.models import Channel, Contact, Topic
from caseapp.core.clock import hanoi_today
from caseapp.extensions import db
from tests.contacts.fuzz import form_data
from tests.contacts.helpers import TODAY, consented_client, counts
from tests.factories import WARD_A, WARD_B, make_contact

FIELDS = {
    "client_code": [],
    "contact_date": [TODAY.isoformat()],
    "ward": [str(WARD_A), str(WARD_B)],
    "channel": [c.value for c in Channel],
    "topics": [t.value for t in Topic],
    "duration_minutes": ["15", "0", "601"],
    "notes": ["ghi chú"],
    "next_follow_up_on": [(TODAY + dt.timedelta(days=3)).isoformat()],
}
ALLOWED_DELTAS = ({}, {"contacts": 1, "audit": 1}, {"audit": 1})


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in before if after[k] != before[k]}


def test_random_posts_to_contact_forms(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        mine, other, closed = consented_client(), consented_client(WARD_B), consented_client(status="closed")
        followed = make_contact(TODAY, client=mine, next_follow_up_on=TODAY)
        codes = [mine.code, other.code, closed.code]
        allowed_clients = {None, mine.id}
        urls = [
            "/contacts/new",
            "/contacts/anonymous",
            f"/clients/{mine.id}/contacts/new",
            f"/clients/{closed.id}/contacts/new",
            f"/clients/{other.id}/contacts/new",
            f"/contacts/{followed.id}/follow-up-done",
        ]
    fields = {**FIELDS, "client_code": codes}
    valid = {
        "client_code": codes[0],
        "contact_date": TODAY.isoformat(),
        "ward": str(WARD_A),
        "channel": "phone",
    }

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(url=st.sampled_from(urls), data=form_data(fields, valid))
    def post(url: str, data: dict[str, object]) -> None:
        with app.app_context():
            before = counts()
        response = worker.post(url, data)
        assert response.status_code < 500, (url, data)
        with app.app_context():
            change = delta(before, counts())
            assert change in ALLOWED_DELTAS, (url, data, change)
            if change.get("contacts"):
                latest = db.session.scalars(
                    select(Contact).order_by(Contact.created_at.desc()).limit(1)
                ).one()
                assert earliest_plausible(hanoi_today()) <= latest.contact_date <= hanoi_today()
                assert latest.ward_code == WARD_A and latest.client_id in allowed_clients
                assert set(latest.topics) <= set(Topic) and latest.channel in set(Channel)
                assert latest.next_follow_up_on is None or latest.next_follow_up_on >= latest.contact_date

    post()


def test_each_field_takes_nasty_values_without_a_5xx(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    from tests.contacts.fuzz import NASTY_VALUES

    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        code = consented_client().code
        before = counts()
    valid = {"client_code": code, "contact_date": TODAY.isoformat(), "ward": str(WARD_A), "channel": "phone"}
    for field in FIELDS:
        for nasty in NASTY_VALUES:
            for url in ("/contacts/new", "/contacts/anonymous"):
                response = worker.post(url, {**valid, field: nasty})
                assert response.status_code < 500, (url, field, nasty)
    with app.app_context():
        change = delta(before, counts())
    assert set(change) <= {"contacts", "audit"} and change.get("contacts", 0) == change.get("audit", 0)
