"""The providers directory: who may read and manage it, validation, filters, the demo examples."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from caseapp.providers import services
from caseapp.providers.examples import EXAMPLES, seed_examples
from caseapp.providers.models import Provider
from caseapp.providers.queries import list_providers, provider_offers
from tests.contacts.helpers import counts, make_provider, vi
from tests.factories import WARD_A, WARD_B, make_user


def data(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": "Trung tâm Thử nghiệm (ví dụ)",
        "categories": ["legal", "health"],
        "address": "Số 9 phố Ví Dụ",
        "phone": "(+84) 24.3825.1234",
        "wards": [str(WARD_A)],
        "active": "y",
    }
    values.update(overrides)
    return values


def test_supervisor_adds_a_provider_and_the_audit_names_fields(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[WARD_A])
    response = supervisor.post("/providers/new", data())
    assert response.status_code == 302
    with app.app_context():
        provider = db.session.scalars(select(Provider)).one()
        assert provider.categories == ["legal", "health"] and [w.code for w in provider.wards] == [WARD_A]
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "provider.created")).one()
        assert "name" in event.details["fields"] and "Thử nghiệm" not in str(event.details)


def test_admin_edits_a_provider(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")
    with app.app_context():
        provider_id = make_provider().id
    response = admin.post(f"/providers/{provider_id}", data(name="Tên mới (ví dụ)", active=""))
    assert response.status_code == 302
    with app.app_context():
        provider = db.session.get(Provider, provider_id)
        assert provider.name == "Tên mới (ví dụ)" and provider.active is False
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "provider.updated")).one()
        assert set(event.details["fields"]) >= {"name", "active", "categories", "wards"}


def test_workers_read_the_directory_but_cannot_change_it(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    with app.app_context():
        provider_id = make_provider(name="Phòng khám Sen (ví dụ)").id
    page = worker.get("/providers/").get_data(as_text=True)
    assert "Phòng khám Sen (ví dụ)" in page and "/providers/new" not in page
    assert worker.get("/providers/new").status_code == 403
    assert worker.post(f"/providers/{provider_id}", data()).status_code == 403
    assert login_as("analyst").get("/providers/").status_code == 403


@pytest.mark.usefixtures("app_ctx")
def test_service_rules_and_nothing_written_on_refusal() -> None:
    worker = make_user("worker")
    admin = make_user("admin")
    good = services.ProviderData(name="A (ví dụ)", categories=["legal"])
    cases: list[tuple[object, services.ProviderData, type]] = [
        (worker, good, services.NotAllowedToManage),
        (admin, services.ProviderData(name="   ", categories=["legal"]), services.NameRequired),
        (admin, services.ProviderData(name="x" * 201, categories=["legal"]), services.NameRequired),
        (admin, services.ProviderData(name="A", categories=[]), services.CategoryRequired),
        (admin, services.ProviderData(name="A", categories=["astrology"]), services.UnknownCategory),
        (
            admin,
            services.ProviderData(name="A", categories=["legal"], phone="call me"),
            services.InvalidPhone,
        ),
        (
            admin,
            services.ProviderData(name="A", categories=["legal"], address="x" * 301),
            services.AddressTooLong,
        ),
        (
            admin,
            services.ProviderData(name="A", categories=["legal"], ward_codes=[424242]),
            services.UnknownWard,
        ),
    ]
    before = counts()
    for actor, entry, error in cases:
        with pytest.raises(error):
            services.create_provider(actor=actor, data=entry)  # type: ignore[arg-type]
    assert counts() == before


def test_bad_form_input_gets_translated_messages(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")
    cases = {
        vi(app, "This field is required."): data(name=""),
        vi(app, "Choose at least one service."): data(categories=[]),
        vi(app, "Choose one of the options shown."): data(categories=["astrology"]),
        vi(app, "Digits, spaces and + ( ) . - only."): data(phone="gọi tôi"),
        vi(app, "At most %(max)d characters.", max=300): data(address="x" * 301),
    }
    with app.app_context():
        before = counts()
    for message, body in cases.items():
        page = admin.post("/providers/new", body).get_data(as_text=True)
        assert message in page, message
    with app.app_context():
        assert counts() == before


@pytest.mark.usefixtures("app_ctx")
def test_filters_by_category_and_ward_with_citywide_providers() -> None:
    citywide = make_provider(name="Toàn thành phố (ví dụ)", categories=["legal"])
    local = make_provider(name="Địa phương (ví dụ)", categories=["legal", "health"], wards=[WARD_A])
    make_provider(name="Ngừng (ví dụ)", categories=["legal"], active=False)
    assert {p.id for p in list_providers(category="legal", ward_code=WARD_A)} == {citywide.id, local.id}
    assert {p.id for p in list_providers(category="legal", ward_code=WARD_B)} == {citywide.id}
    assert {p.id for p in list_providers(category="health")} == {local.id}
    assert provider_offers(local, category="health", ward_code=WARD_A)
    assert not provider_offers(local, category="health", ward_code=WARD_B)
    assert not provider_offers(citywide, category="health", ward_code=WARD_A)


@pytest.mark.usefixtures("app_ctx")
def test_demo_examples_are_clearly_fictional() -> None:
    providers = seed_examples(ward_codes=[WARD_A, WARD_B])
    assert len(providers) == len(EXAMPLES) >= 5
    assert all("(ví dụ)" in p.name and p.demo for p in providers)
    served = {w.code for p in providers for w in p.wards}
    assert served == {WARD_A, WARD_B}


def test_directory_in_vietnamese_then_english(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[WARD_A])
    assert "Nhà cung cấp dịch vụ" in supervisor.get("/providers/").get_data(as_text=True)
    supervisor.get("/lang/en")
    page = supervisor.get("/providers/new").get_data(as_text=True)
    assert "Services offered" in page and "Wards served" in page
