"""`flask demo load`: a realistic programme year, refused over real data, deterministic, bulk-written."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from caseapp.clients.models import Client, Consent, Need
from caseapp.contacts.models import Contact
from caseapp.core.clock import hanoi_today
from caseapp.core.crypto import blind_index
from caseapp.demo import loader
from caseapp.demo.plan import Planner
from caseapp.extensions import db
from caseapp.indicators.periods import Period
from caseapp.indicators.queries import indicator_total
from caseapp.providers.models import Provider
from caseapp.referrals.models import Referral
from caseapp.users.models import User
from caseapp.wards.models import Ward
from tests.conftest import empty_tables, log_in
from tests.factories import WARD_A, make_client, make_contact

PASSWORD = "demo password for tests"


def load(**overrides: Any) -> loader.DemoReport:
    values: dict[str, Any] = {"seed": 1, "clients": 60, "contacts": 300, "password": PASSWORD}
    values.update(overrides)
    return loader.load_demo(**values)


def count(model: Any, *where: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.mark.usefixtures("app_ctx")
def test_a_programme_year_of_42_plus_6_wards_with_accounts_and_casework() -> None:
    report = load()
    cohorts = Counter(db.session.scalars(select(Ward.cohort).where(Ward.cohort.is_not(None))))
    assert cohorts == {2025: 42, 2026: 6} and report.wards == 48
    assert count(Client, Client.demo.is_(True)) == 60 and count(Contact, Contact.demo.is_(True)) == 300
    anonymous = count(Contact, Contact.client_id.is_(None))
    assert report.anonymous_contacts == anonymous and 0.12 <= anonymous / 300 <= 0.28
    assert count(User, User.username.like("demo.%")) == len(report.accounts) == 48 * 2 + 8 + 1
    assert count(Provider, Provider.demo.is_(True), Provider.name.like("%(ví dụ)%")) >= 5
    # every client has consent, needs with eligibility, and contacts only in their wards
    assert count(Consent) == 60 and count(Need) == report.needs > 60
    wrong_ward = (
        select(func.count()).select_from(Contact).join(Client).where(Contact.ward_code != Client.ward_code)
    )
    assert db.session.scalar(wrong_ward) == 0


@pytest.mark.usefixtures("app_ctx")
def test_records_follow_the_rules_the_services_enforce() -> None:
    load(seed=4, clients=80, contacts=400)
    today = hanoi_today()
    for referral in db.session.scalars(select(Referral)):
        assert referral.events[0].status == "referred" and referral.events[-1].status == referral.status
        assert [e.occurred_on for e in referral.events] == sorted(e.occurred_on for e in referral.events)
        assert (referral.received_on is not None) == (referral.status == "received")
        assert referral.status_changed_on <= today and referral.version == len(referral.events)
    for contact in db.session.scalars(select(Contact)):
        assert contact.contact_date <= today
        assert contact.client_id is not None or contact.next_follow_up_on is None
        assert contact.next_follow_up_on is None or contact.next_follow_up_on >= contact.contact_date
    closed = db.session.scalars(select(Client).where(Client.status == "closed")).all()
    for client in closed:
        later = (
            select(func.count())
            .select_from(Contact)
            .where(Contact.client_id == client.id, Contact.contact_date > client.closed_on)
        )
        assert db.session.scalar(later) == 0


@pytest.mark.usefixtures("app_ctx")
def test_personal_fields_are_encrypted_and_indexed_like_registered_clients() -> None:
    load(seed=2, clients=40, contacts=100)
    client = db.session.scalars(select(Client).where(Client.phone.is_not(None)).limit(1)).one()
    assert client.alias and client.phone.startswith("+849")
    assert client.phone_bidx == blind_index("phone", client.phone)
    raw = db.session.execute(
        select(Client.__table__.c.phone).where(Client.__table__.c.id == client.id)
    ).scalar_one()
    assert client.phone.encode() not in bytes(raw)


@pytest.mark.parametrize("seed", [1, 2026])
@pytest.mark.usefixtures("app_ctx")
def test_the_service_access_indicator_lands_between_50_and_70_percent(seed: int) -> None:
    load(seed=seed, clients=300, contacts=1200)
    wards = list(db.session.scalars(select(Ward.code).where(Ward.cohort.is_not(None))))
    row = indicator_total(Period.ytd(hanoi_today()), wards)
    assert row.denominator > 150
    assert 0.5 <= row.numerator / row.denominator <= 0.7, row


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Everything a seed decides, in plain values (ciphertexts differ: every seal draws a fresh nonce)."""
    names = dict(db.session.execute(select(User.id, User.username)).all())
    clients = {c.id: c.code for c in db.session.scalars(select(Client))}
    return {
        "wards": sorted(
            db.session.execute(select(Ward.code, Ward.cohort).where(Ward.cohort.is_not(None))).all()
        ),
        "clients": sorted(
            (
                c.code,
                c.alias,
                c.full_name,
                c.phone,
                c.ward_code,
                c.registered_on,
                c.status,
                names[c.worker_id],
            )
            for c in db.session.scalars(select(Client))
        ),
        "contacts": sorted(
            (
                clients.get(c.client_id, ""),
                c.contact_date,
                c.ward_code,
                c.channel,
                tuple(c.topics),
                c.notes or "",
            )
            for c in db.session.scalars(select(Contact))
        ),
        "referrals": sorted(
            (clients[r.client_id], r.category, r.referred_on, r.status, r.status_changed_on)
            for r in db.session.scalars(select(Referral))
        ),
    }


@pytest.mark.usefixtures("app_ctx")
def test_same_seed_same_data_other_seed_other_data() -> None:
    load(seed=9)
    first = snapshot()
    db.session.remove()
    empty_tables()
    load(seed=9)
    assert snapshot() == first
    db.session.remove()
    empty_tables()
    load(seed=10)
    assert snapshot()["clients"] != first["clients"]


def test_planner_is_a_pure_function_of_its_inputs() -> None:
    def plan(seed: int) -> tuple[list[Any], list[Any]]:
        planner = Planner(
            seed=seed, today=dt.date(2026, 6, 30), cohorts={1: 2025, 2: 2026}, workers={1: [7], 2: [8]}
        )
        clients = planner.clients(30)
        contacts = [c for batch in planner.contacts(clients, 90, 40) for c in batch]
        return clients, contacts

    assert plan(5) == plan(5) and plan(5) != plan(6)


@pytest.mark.usefixtures("app_ctx")
def test_refuses_a_database_with_real_clients_or_contacts() -> None:
    make_client(WARD_A)
    with pytest.raises(loader.RealDataPresent):
        load()
    assert count(User) == 0 and count(Ward, Ward.cohort.is_not(None)) == 0
    db.session.remove()
    empty_tables()
    make_contact(hanoi_today())  # an anonymous contact is real casework too
    with pytest.raises(loader.RealDataPresent):
        load()


@pytest.mark.usefixtures("app_ctx")
def test_refuses_a_second_load_and_production() -> None:
    with pytest.raises(loader.ProductionRefused):
        load(env_name="production")
    load(clients=5, contacts=10)
    with pytest.raises(loader.DemoAlreadyLoaded):
        load(clients=5, contacts=10)


@pytest.mark.usefixtures("app_ctx")
def test_small_batches_keep_parents_before_children() -> None:
    report = load(seed=3, clients=250, contacts=700, batch_size=100)
    assert count(Client) == 250 and count(Contact) == 700 and count(Referral) == report.referrals


def test_cli_prints_the_password_once_and_demo_accounts_can_log_in(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load", "--seed", "5", "--clients", "20", "--contacts", "60"])
    assert result.exit_code == 0, result.output
    password = result.output.split("(shown once): ")[1].split()[0]
    assert "20 clients, 60 contacts" in result.output
    with app.app_context():
        worker = db.session.scalars(select(User).where(User.username.like("demo.w%")).limit(1)).one()
        name = worker.username
    client = app.test_client()
    assert log_in(client, name, password).status_code == 302
    assert client.get("/contacts/").status_code == 200
    again = runner.invoke(args=["demo", "load", "--seed", "5"])
    assert again.exit_code != 0 and "nothing was written" in again.output
