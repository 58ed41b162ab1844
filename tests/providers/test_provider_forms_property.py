"""Random form data posted to the provider forms: never a 5xx, never a partial write."""

from __future__ import annotations

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from caseapp.clients.models import ServiceCategory
from caseapp.extensions import db
from caseapp.providers.models import Provider
from tests.contacts.fuzz import NASTY_VALUES, form_data
from tests.contacts.helpers import counts, make_provider
from tests.factories import WARD_A, WARD_B

FIELDS = {
    "name": ["Trung tâm (ví dụ)"],
    "categories": [c.value for c in ServiceCategory],
    "address": ["Số 1 phố Ví Dụ"],
    "phone": ["024 0000 0001"],
    "wards": [str(WARD_A), str(WARD_B), "424242"],
    "active": ["y", ""],
}
VALID = {"name": "Trung tâm (ví dụ)", "categories": "legal"}
ALLOWED = ({}, {"providers": 1, "audit": 1}, {"audit": 1})


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in before if after[k] != before[k]}


def sane() -> None:
    for provider in db.session.scalars(select(Provider)):
        assert (
            provider.name.strip() and provider.categories and set(provider.categories) <= set(ServiceCategory)
        )
        assert "\x00" not in provider.name + (provider.address or "") + (provider.phone or "")


def test_random_posts_to_provider_forms(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")
    with app.app_context():
        urls = ["/providers/new", f"/providers/{make_provider().id}"]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(url=st.sampled_from(urls), data=form_data(FIELDS, VALID))
    def post(url: str, data: dict[str, object]) -> None:
        with app.app_context():
            before = counts()
        assert admin.post(url, data).status_code < 500, (url, data)
        with app.app_context():
            assert delta(before, counts()) in ALLOWED, (url, data)
            sane()

    post()


def test_each_field_takes_nasty_values_without_a_5xx(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[WARD_A])
    for field in FIELDS:
        for nasty in NASTY_VALUES:
            response = supervisor.post("/providers/new", {**VALID, field: nasty})
            assert response.status_code < 500, (field, nasty)
    with app.app_context():
        sane()
