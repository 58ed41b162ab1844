"""`flask demo load`: refuse unless the database holds no real casework, then write the plan in bulk.

Everything is one transaction: a failure leaves the database as it was, so the command can simply be run
again. Rows go in through Core inserts in batches (an ORM flush of a million contacts would take hours);
encrypted values are sealed for their precomputed primary keys with caseapp.core.crypto.bulk.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, func, select

from caseapp.auth.passwords import hash_password
from caseapp.clients.models import Client, Consent, Need
from caseapp.contacts.models import Contact
from caseapp.core import audit
from caseapp.core.access import Role
from caseapp.core.clock import hanoi_today
from caseapp.core.crypto import blind_index, name_birth_year_index
from caseapp.core.crypto.bulk import ColumnSealer
from caseapp.core.db import utcnow
from caseapp.demo.bulk import write_rows
from caseapp.demo.plan import ClientPlan, ContactPlan, Planner, ProviderOffer
from caseapp.extensions import db
from caseapp.providers.examples import seed_examples
from caseapp.providers.models import Provider
from caseapp.referrals.models import Referral, ReferralEvent
from caseapp.users.models import User
from caseapp.wards.models import Ward

CLIENTS = cast(Table, Client.__table__)
CONSENTS = cast(Table, Consent.__table__)
NEEDS = cast(Table, Need.__table__)
REFERRALS = cast(Table, Referral.__table__)
REFERRAL_EVENTS = cast(Table, ReferralEvent.__table__)
CONTACTS = cast(Table, Contact.__table__)
COHORT_SIZES = {2025: 42, 2026: 6}  # plan 07/KH-UBND: 42 wards from 2025, 6 more in 2026
WORKERS_PER_WARD = 2
WARDS_PER_SUPERVISOR = 6
DEFAULT_BATCH = 5000
Progress = Callable[[int], None]


class DemoRefused(RuntimeError):
    """The demo data cannot be loaded here; nothing was written."""


class RealDataPresent(DemoRefused):
    """The database holds clients or contacts that are not demo data."""


class DemoAlreadyLoaded(DemoRefused):
    """Demo data is already there; load it into an empty database."""


class ProductionRefused(DemoRefused):
    """Demo accounts with a shared password have no place on a production server."""


@dataclass(frozen=True)
class DemoReport:
    """What was loaded, and the password of every demo account (shown once, stored nowhere)."""

    wards: int
    accounts: list[str]
    password: str
    clients: int
    contacts: int
    anonymous_contacts: int
    needs: int
    referrals: int
    received: int


def check_can_load(env_name: str) -> None:
    """Refuse in production, over real casework, or over an earlier demo load."""
    if env_name == "production":
        raise ProductionRefused()
    for model in (Client, Contact):
        if db.session.scalar(select(func.count()).select_from(model).where(model.demo.is_(False))):
            raise RealDataPresent(model.__tablename__)
    if db.session.scalar(select(func.count()).select_from(Client)):
        raise DemoAlreadyLoaded()


def programme_wards(rng: random.Random) -> dict[int, int]:
    """The wards already in a cohort (an admin's choice is kept), else 42 + 6 drawn from the seed."""
    wards = list(db.session.scalars(select(Ward).order_by(Ward.code)))
    chosen = {w.code: w.cohort for w in wards if w.cohort is not None and w.active}
    if chosen:
        return {code: int(cohort) for code, cohort in chosen.items() if cohort is not None}
    picked = rng.sample(wards, k=sum(COHORT_SIZES.values()))
    cohorts: dict[int, int] = {}
    for ward in picked:
        ward.cohort = 2025 if len(cohorts) < COHORT_SIZES[2025] else 2026
        ward.active = True
        cohorts[ward.code] = ward.cohort
    return cohorts


def demo_accounts(cohorts: dict[int, int], password: str) -> tuple[dict[int, list[int]], list[str]]:
    """Two workers per ward, a supervisor per six wards and one analyst, all with the same password."""
    # one hash for every account: the password is shared anyway, and argon2 costs 0.1 s a hash
    hashed = hash_password(password)
    wards = {w.code: w for w in db.session.scalars(select(Ward).where(Ward.code.in_(list(cohorts))))}
    codes = sorted(cohorts)

    def account(name: str, role: Role, ward_codes: Iterable[int]) -> User:
        user = User(
            username=name,
            display_name=f"Demo {name.split('.', 1)[1]}",
            role=role.value,
            password_hash=hashed,
            must_change_password=False,
            active=True,
            wards=[wards[c] for c in ward_codes],
        )
        db.session.add(user)
        return user

    workers = {code: [account(f"demo.w{code}{s}", Role.WORKER, [code]) for s in "ab"] for code in codes}
    supervisors = [
        account(f"demo.sup{i + 1}", Role.SUPERVISOR, codes[start : start + WARDS_PER_SUPERVISOR])
        for i, start in enumerate(range(0, len(codes), WARDS_PER_SUPERVISOR))
    ]
    analyst = account("demo.analyst", Role.ANALYST, [])
    db.session.flush()
    names = [u.username for u in (*supervisors, analyst)] + [
        u.username for us in workers.values() for u in us
    ]
    return {code: [u.id for u in users] for code, users in workers.items()}, names


def provider_offers() -> list[ProviderOffer]:
    providers = db.session.scalars(select(Provider).where(Provider.active.is_(True)).order_by(Provider.id))
    return [
        ProviderOffer(p.id, frozenset(p.categories), frozenset(w.code for w in p.wards)) for p in providers
    ]


class RowWriter:
    """Turns plans into row dicts, sealing personal values for their row, and inserts them in batches."""

    def __init__(self, batch_size: int) -> None:
        self.batch_size = batch_size
        self.now = utcnow()
        self.seal = {
            (table.name, column.name): ColumnSealer(column)
            for table in (CLIENTS, NEEDS, REFERRALS, CONTACTS)
            for column in table.columns
            if column.name
            in ("alias", "full_name", "phone", "date_of_birth", "address", "notes", "eligibility_basis")
        }
        self.pending: dict[str, list[dict[str, Any]]] = {}

    def add(self, table: Table, row: dict[str, Any]) -> None:
        rows = self.pending.setdefault(table.name, [])
        rows.append(row)
        if len(rows) >= self.batch_size:
            self.flush_all()  # all tables, parents first: a child batch never goes in before its parents

    def flush(self, table: Table) -> None:
        rows = self.pending.pop(table.name, [])
        if rows:
            write_rows(db.session.connection(), table, rows)

    def sealed(self, table: str, column: str, pk: object, value: Any) -> Any:
        return self.seal[(table, column)](pk, value)

    def client(self, plan: ClientPlan) -> None:
        s = self.sealed
        self.add(
            CLIENTS,
            {
                "id": plan.id,
                "code": plan.code,
                "ward_code": plan.ward_code,
                "worker_id": plan.worker_id,
                "sex": plan.sex,
                "birth_year": plan.birth_year,
                "migrant": plan.migrant,
                "registered_on": plan.registered_on,
                "status": "closed" if plan.closed_on else "active",
                "closed_reason": plan.closed_reason,
                "closed_on": plan.closed_on,
                "restricted": plan.withdrawn_on is not None,
                "erased_at": None,
                "demo": True,
                "alias": s("clients", "alias", plan.id, plan.alias),
                "full_name": s("clients", "full_name", plan.id, plan.full_name),
                "phone": s("clients", "phone", plan.id, plan.phone),
                "id_number": None,
                "date_of_birth": s("clients", "date_of_birth", plan.id, plan.date_of_birth),
                "address": s("clients", "address", plan.id, plan.address),
                "notes": s("clients", "notes", plan.id, plan.notes),
                "phone_bidx": blind_index("phone", plan.phone) if plan.phone else None,
                "id_number_bidx": None,
                "name_birth_bidx": name_birth_year_index(plan.full_name, plan.birth_year)
                if plan.full_name
                else None,
                "created_at": self.now,
                "created_by": plan.worker_id,
                "updated_at": self.now,
                "version": 1,
            },
        )
        self.consent(plan)
        for need in plan.needs:
            self.add(
                NEEDS,
                {
                    "id": need.id,
                    "client_id": plan.id,
                    "category": need.category,
                    "identified_on": need.identified_on,
                    "eligible": need.eligible,
                    "eligibility_decided_on": need.decided_on,
                    "eligibility_basis": s("needs", "eligibility_basis", need.id, need.basis),
                    "met_on": need.met_on,
                    "recorded_by": plan.worker_id,
                    "created_at": self.now,
                },
            )
        for referral in plan.referrals:
            self.referral(plan, referral)

    def consent(self, plan: ClientPlan) -> None:
        self.add(
            CONSENTS,
            {
                "id": plan.consent_id,
                "client_id": plan.id,
                "given": True,
                "purposes": plan.purposes,
                "data_categories": plan.data_categories,
                "given_on": plan.registered_on,
                "recorded_by": plan.worker_id,
                "withdrawn_on": plan.withdrawn_on,
                "withdrawal_recorded_by": plan.worker_id if plan.withdrawn_on else None,
                "created_at": self.now,
            },
        )

    def referral(self, plan: ClientPlan, referral: Any) -> None:
        last = referral.events[-1]
        self.add(
            REFERRALS,
            {
                "id": referral.id,
                "client_id": plan.id,
                "ward_code": plan.ward_code,
                "category": referral.category,
                "provider_id": referral.provider_id,
                "referred_on": referral.referred_on,
                "status": last[1],
                "status_changed_on": last[2],
                "received_on": last[2] if last[1] == "received" else None,
                "notes": self.sealed("referrals", "notes", referral.id, referral.notes),
                "created_by": plan.worker_id,
                "created_at": self.now,
                "version": len(referral.events),
            },
        )
        for step, (event_id, status, day) in enumerate(referral.events):
            row = {
                "id": event_id,
                "referral_id": referral.id,
                "status": status,
                "occurred_on": day,
                # the history is ordered by recorded_at: each step recorded the morning it happened
                "recorded_at": dt.datetime.combine(day, dt.time(2, 0, step)),
                "user_id": plan.worker_id,
            }
            self.add(REFERRAL_EVENTS, row)

    def contact(self, plan: ContactPlan) -> None:
        self.add(
            CONTACTS,
            {
                "id": plan.id,
                "client_id": plan.client_id,
                "ward_code": plan.ward_code,
                "worker_id": plan.worker_id,
                "contact_date": plan.contact_date,
                "channel": plan.channel,
                "topics": plan.topics,
                "duration_minutes": plan.duration_minutes,
                "notes": self.sealed("contacts", "notes", plan.id, plan.notes),
                "next_follow_up_on": plan.next_follow_up_on,
                "follow_up_done": plan.follow_up_done,
                "demo": True,
                "created_at": dt.datetime.combine(plan.contact_date, dt.time(2, 0)),
            },
        )

    def flush_all(self) -> None:
        # parents before children: the foreign keys are checked row by row
        for table in (CLIENTS, CONSENTS, NEEDS, REFERRALS):
            self.flush(table)
        for table in (REFERRAL_EVENTS, CONTACTS):
            self.flush(table)


def load_demo(
    *,
    seed: int,
    clients: int,
    contacts: int,
    env_name: str = "development",
    batch_size: int = DEFAULT_BATCH,
    password: str | None = None,
    progress: Progress = lambda _n: None,
    today: dt.date | None = None,
) -> DemoReport:
    """Fill an empty database with a synthetic programme year; deterministic for a seed."""
    check_can_load(env_name)
    today = today or hanoi_today()
    rng = random.Random(seed)  # noqa: S311  # nosec B311 - reproducible ward choice
    cohorts = programme_wards(rng)
    password = password or secrets.token_urlsafe(12)
    workers, accounts = demo_accounts(cohorts, password)
    if not db.session.scalar(select(func.count()).select_from(Provider).where(Provider.demo.is_(True))):
        seed_examples(ward_codes=sorted(cohorts))
    planner = Planner(seed=seed, today=today, cohorts=cohorts, workers=workers, providers=provider_offers())
    writer = RowWriter(batch_size)
    plans = planner.clients(clients)
    counts = _write_clients(writer, plans, batch_size, progress)
    anonymous = _write_contacts(writer, planner, plans, contacts, batch_size, progress)
    report = DemoReport(len(cohorts), accounts, password, clients, contacts, anonymous, *counts)
    audit.record("demo.loaded", entity_type="demo", details=_audit_details(seed, report))
    db.session.commit()
    return report


def _write_clients(
    writer: RowWriter, plans: Sequence[ClientPlan], batch_size: int, progress: Progress
) -> tuple[int, int, int]:
    needs = referrals = received = 0
    for index, plan in enumerate(plans, start=1):
        writer.client(plan)
        needs += len(plan.needs)
        referrals += len(plan.referrals)
        received += sum(r.status == "received" for r in plan.referrals)
        if index % batch_size == 0:
            writer.flush_all()
            progress(batch_size)
    writer.flush_all()
    progress(len(plans) % batch_size)
    return needs, referrals, received


def _write_contacts(
    writer: RowWriter,
    planner: Planner,
    plans: Sequence[ClientPlan],
    count: int,
    batch_size: int,
    progress: Progress,
) -> int:
    anonymous = 0
    for batch in planner.contacts(plans, count, batch_size):
        for contact in batch:
            writer.contact(contact)
            anonymous += contact.client_id is None
        writer.flush_all()
        progress(len(batch))
    return anonymous


def _audit_details(seed: int, report: DemoReport) -> dict[str, int]:
    return {
        "seed": seed,
        "wards": report.wards,
        "accounts": len(report.accounts),
        "clients": report.clients,
        "contacts": report.contacts,
        "referrals": report.referrals,
    }
