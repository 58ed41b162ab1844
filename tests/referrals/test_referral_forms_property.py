"""Random form data posted to the referral forms: never a 5xx, never a partial or rule-breaking write."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from caseapp.clients.models import ServiceCategory
from caseapp.extensions import db
from caseapp.referrals.models import Referral, ReferralStatus
from caseapp.referrals.services import refer_client
from tests.contacts.fuzz import NASTY_VALUES, form_data
from tests.contacts.helpers import TODAY, consented_client, counts, make_provider, user
from tests.factories import WARD_A, WARD_B

ALLOWED = (
    {},
    {"referrals": 1, "referral_events": 1, "audit": 2},  # created, then its page viewed after the redirect
    {"referrals": 1, "referral_events": 1, "audit": 1},
    {"referral_events": 1, "audit": 1},
    {"audit": 1},
)


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in before if after[k] != before[k]}


def consistent() -> None:
    """Every referral's status is its last event's, and received_on is set exactly when received."""
    for referral in db.session.scalars(select(Referral)):
        assert referral.events and referral.events[-1].status == referral.status
        assert (referral.received_on is not None) == (referral.status == "received")
        assert referral.referred_on <= referral.status_changed_on <= TODAY + dt.timedelta(days=1)
        assert referral.ward_code == WARD_A


def test_random_posts_to_referral_forms(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        mine, other = consented_client(), consented_client(WARD_B)
        providers = [make_provider(categories=["legal"], wards=[WARD_A]), make_provider(wards=[WARD_B])]
        referral = refer_client(
            actor=user(worker.user_id), client=mine, category="legal", provider=None, referred_on=TODAY
        )
        urls = [
            f"/clients/{mine.id}/referrals/new",
            f"/clients/{other.id}/referrals/new",
            f"/referrals/{referral.id}/status",
        ]
        provider_ids = [str(p.id) for p in providers]
    fields = {
        "category": [c.value for c in ServiceCategory],
        "provider": provider_ids,
        "referred_on": [TODAY.isoformat()],
        "notes": ["ghi chú"],
        "status": [s.value for s in ReferralStatus],
        "occurred_on": [TODAY.isoformat()],
        "version": ["1", "2", "3"],
    }
    valid = {"category": "legal", "referred_on": TODAY.isoformat(), "occurred_on": TODAY.isoformat()}

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(url=st.sampled_from(urls), data=form_data(fields, valid))
    def post(url: str, data: dict[str, object]) -> None:
        with app.app_context():
            before = counts()
        response = worker.post(url, data, follow_redirects=True)
        assert response.status_code < 500, (url, data)
        with app.app_context():
            assert delta(before, counts()) in ALLOWED, (url, data)
            consistent()

    post()


def test_each_field_takes_nasty_values_without_a_5xx(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        client = consented_client()
        referral = refer_client(
            actor=user(worker.user_id), client=client, category="legal", provider=None, referred_on=TODAY
        )
        new_url, status_url = f"/clients/{client.id}/referrals/new", f"/referrals/{referral.id}/status"
    good_new = {"category": "legal", "referred_on": TODAY.isoformat()}
    good_status = {"status": "cancelled", "occurred_on": TODAY.isoformat(), "version": "999"}
    for nasty in NASTY_VALUES:
        for field in ("category", "provider", "referred_on", "notes"):
            assert worker.post(new_url, {**good_new, field: nasty}).status_code < 500, (field, nasty)
        for field in good_status:
            assert worker.post(status_url, {**good_status, field: nasty}).status_code < 500, (field, nasty)
    with app.app_context():
        consistent()
