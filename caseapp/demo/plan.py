"""A deterministic plan of a synthetic programme year: same seed and same starting database, same data.

Only plain Python here (no database, no encryption): loader.py turns the plan into rows. The proportions
are chosen so the service-access indicator lands between 50 % and 70 %, as in a programme that works but
has not yet reached its 60 % target everywhere.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from faker import Faker

from caseapp.clients.models import CloseReason, ConsentPurpose, DataCategory, ServiceCategory
from caseapp.contacts.models import Channel, Topic
from caseapp.demo import texts

# the client-code alphabet of caseapp.clients.codes (no 0/O, 1/I/L, U/V): demo codes look like real ones
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
ANONYMOUS_SHARE = 0.2
REFERRED_SHARE = 0.78
CATEGORY_WEIGHTS = {
    ServiceCategory.PSYCHOLOGICAL: 30,
    ServiceCategory.HEALTH: 25,
    ServiceCategory.SOCIAL_ASSISTANCE: 20,
    ServiceCategory.VOCATIONAL_TRAINING: 15,
    ServiceCategory.LEGAL: 10,
    ServiceCategory.JOB_PLACEMENT: 10,
}
CHANNEL_WEIGHTS = {
    Channel.OUTREACH: 45,
    Channel.PHONE: 25,
    Channel.OFFICE: 15,
    Channel.ONLINE: 10,
    Channel.GROUP: 5,
}
ANONYMOUS_TOPICS = (
    Topic.HARM_REDUCTION_HIV,
    Topic.HEALTH,
    Topic.GENDER_BASED_VIOLENCE,
    Topic.RIGHTS_AT_WORK,
    Topic.SOCIAL_ASSISTANCE,
)
DURATIONS = (10, 15, 20, 30, 30, 45, 60, 90)
# plain values and cumulative weights, computed once: these draws run millions of times at benchmark size
TOPIC_VALUES = [t.value for t in Topic]
TOPIC_ORDER = {value: index for index, value in enumerate(TOPIC_VALUES)}
CHANNELS = [c.value for c in CHANNEL_WEIGHTS]
CHANNEL_CUM = list(itertools.accumulate(CHANNEL_WEIGHTS.values()))
ANONYMOUS_TOPIC_VALUES = [t.value for t in ANONYMOUS_TOPICS]
ANONYMOUS_CHANNELS = [Channel.OUTREACH.value, Channel.GROUP.value, Channel.PHONE.value]
ANONYMOUS_CHANNEL_CUM = [70, 90, 100]


@dataclass(slots=True)
class NeedPlan:
    id: uuid.UUID
    category: str
    identified_on: dt.date
    eligible: bool | None
    decided_on: dt.date | None
    basis: str | None
    met_on: dt.date | None = None


@dataclass(slots=True)
class ReferralPlan:
    id: uuid.UUID
    category: str
    provider_id: int | None
    referred_on: dt.date
    events: list[tuple[uuid.UUID, str, dt.date]]
    notes: str | None

    @property
    def status(self) -> str:
        return self.events[-1][1]


@dataclass(slots=True)
class ClientPlan:
    id: uuid.UUID
    code: str
    ward_code: int
    worker_id: int
    sex: str
    birth_year: int
    migrant: bool | None
    registered_on: dt.date
    alias: str
    full_name: str | None
    phone: str | None
    date_of_birth: dt.date | None
    address: str | None
    notes: str | None
    consent_id: uuid.UUID
    purposes: list[str]
    data_categories: list[str]
    withdrawn_on: dt.date | None = None
    closed_on: dt.date | None = None
    closed_reason: str | None = None
    needs: list[NeedPlan] = field(default_factory=list)
    referrals: list[ReferralPlan] = field(default_factory=list)

    @property
    def last_active_day(self) -> dt.date:
        """Nothing new is linked to the person after the case closed or consent was withdrawn."""
        return min(d for d in (self.closed_on, self.withdrawn_on, dt.date.max) if d is not None)


@dataclass(slots=True)
class ContactPlan:
    id: uuid.UUID
    client_id: uuid.UUID | None
    ward_code: int
    worker_id: int
    contact_date: dt.date
    channel: str
    topics: list[str]
    duration_minutes: int | None
    notes: str | None
    next_follow_up_on: dt.date | None
    follow_up_done: bool


@dataclass(frozen=True)
class ProviderOffer:
    """What the planner needs to know about a provider: its id, services and wards (empty: whole city)."""

    id: int
    categories: frozenset[str]
    wards: frozenset[int]


class Planner:
    """Draws every value from one seeded generator, in a fixed order."""

    def __init__(
        self,
        *,
        seed: int,
        today: dt.date,
        cohorts: dict[int, int],
        workers: Mapping[int, Sequence[int]],
        providers: Sequence[ProviderOffer] = (),
    ) -> None:
        # reproducible from the seed on purpose: nothing secret is drawn here (passwords are not)
        self.rng = random.Random(seed)  # noqa: S311  # nosec B311 - reproducible by design
        self.fake = Faker("vi_VN")
        self.fake.seed_instance(seed)
        self.today = today
        self.year_start = dt.date(today.year, 1, 1)
        self.wards = sorted(cohorts)
        self.cohorts = cohorts
        self.workers = workers
        self.providers = providers
        # wards of the later cohort have fewer clients so far
        self.ward_weights = [1.0 if cohorts[w] <= 2025 else 0.4 for w in self.wards]
        self.ward_cum = list(itertools.accumulate(self.ward_weights))
        self.ward_starts = {w: self._ward_start(w) for w in self.wards}
        self._codes: set[str] = set()

    # --- small draws -------------------------------------------------------------------------------

    def uuid(self) -> uuid.UUID:
        # version 4 layout set by hand (what uuid.UUID(version=4) does, without its checks)
        bits = self.rng.getrandbits(128) & ~(0xC000 << 48) | (0x8000 << 48)
        return uuid.UUID(int=bits & ~(0xF000 << 64) | (4 << 76))

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def ward_start(self, ward: int) -> dt.date:
        return self.ward_starts[ward]

    def _ward_start(self, ward: int) -> dt.date:
        """The later cohort started two months into the year."""
        if self.cohorts[ward] <= self.today.year - 1:
            return self.year_start
        return min(self.today, self.year_start + dt.timedelta(days=59))

    def code(self) -> str:
        while True:
            body = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(6))
            code = f"HN-{body[:4]}-{body[4:]}"
            if code not in self._codes:
                self._codes.add(code)
                return code

    # --- clients -----------------------------------------------------------------------------------

    def clients(self, count: int) -> list[ClientPlan]:
        wards = self.rng.choices(self.wards, weights=self.ward_weights, k=count)
        return [self.client(ward) for ward in wards]

    def client(self, ward: int) -> ClientPlan:
        rng = self.rng
        carried_over = self.cohorts[ward] < self.today.year and rng.random() < 0.3
        if carried_over:
            registered = self.day_between(
                dt.date(self.today.year - 1, 6, 1), dt.date(self.today.year - 1, 12, 31)
            )
        else:
            registered = self.day_between(self.ward_start(ward), self.today)
        sex = rng.choices(["female", "transgender", "male", "other", "unknown"], weights=[85, 8, 3, 1, 3])[0]
        age = rng.choices([rng.randint(18, 24), rng.randint(25, 34), rng.randint(35, 55)], weights=[3, 5, 2])[
            0
        ]
        birth_year = self.today.year - age
        full_name = self.full_name(sex) if rng.random() < 0.6 else None
        phone = f"+849{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.5 else None
        dob = (
            self.day_between(dt.date(birth_year, 1, 1), dt.date(birth_year, 12, 31))
            if rng.random() < 0.3
            else None
        )
        address = self.address() if rng.random() < 0.3 else None
        notes = rng.choice(texts.CLIENT_NOTES) if rng.random() < 0.2 else None
        categories = [DataCategory.IDENTITY.value]
        if phone or address:
            categories.append(DataCategory.CONTACT_DETAILS.value)
        if rng.random() < 0.5:
            categories.append(DataCategory.HEALTH.value)
        categories.append(DataCategory.CASE_NOTES.value)
        plan = ClientPlan(
            id=self.uuid(),
            code=self.code(),
            ward_code=ward,
            worker_id=rng.choice(self.workers[ward]),
            sex=sex,
            birth_year=birth_year,
            migrant=rng.choices([True, False, None], weights=[45, 45, 10])[0],
            registered_on=registered,
            alias=self.alias(sex),
            full_name=full_name,
            phone=phone,
            date_of_birth=dob,
            address=address,
            notes=notes,
            consent_id=self.uuid(),
            purposes=[p.value for p in ConsentPurpose],
            data_categories=categories,
        )
        self.close_or_withdraw(plan)
        self.add_needs_and_referrals(plan)
        return plan

    def full_name(self, sex: str) -> str:
        if sex == "male":
            return (
                f"{self.fake.last_name()} {self.rng.choice(texts.MALE_MIDDLE)} {self.fake.first_name_male()}"
            )
        return (
            f"{self.fake.last_name()} {self.rng.choice(texts.FEMALE_MIDDLE)} {self.fake.first_name_female()}"
        )

    def alias(self, sex: str) -> str:
        if self.rng.random() < 0.3:
            return self.rng.choice(texts.NICKNAMES)
        return self.fake.first_name_male() if sex == "male" else self.fake.first_name_female()

    def address(self) -> str:
        street = self.rng.choice(texts.STREETS)
        return f"Số {self.rng.randint(1, 200)} ngõ {self.rng.randint(1, 120)} phố {street}, Hà Nội"

    def close_or_withdraw(self, plan: ClientPlan) -> None:
        roll = self.rng.random()
        earliest_close = plan.registered_on + dt.timedelta(days=30)
        if roll < 0.06 and earliest_close < self.today:
            plan.closed_on = self.day_between(earliest_close, self.today)
            plan.closed_reason = self.rng.choice([r.value for r in CloseReason])
        elif roll < 0.075 and plan.registered_on < self.today:
            plan.withdrawn_on = self.day_between(plan.registered_on + dt.timedelta(days=1), self.today)

    # --- needs and referrals -----------------------------------------------------------------------

    def add_needs_and_referrals(self, plan: ClientPlan) -> None:
        rng = self.rng
        count = rng.choices([1, 2, 3], weights=[45, 35, 20])[0]
        weights = list(CATEGORY_WEIGHTS.values())
        chosen: list[str] = []
        while len(chosen) < count:
            category = rng.choices(list(CATEGORY_WEIGHTS), weights=weights)[0].value
            if category not in chosen:
                chosen.append(category)
        for category in chosen:
            identified = min(self.today, plan.registered_on + dt.timedelta(days=rng.randint(0, 14)))
            eligible = rng.choices([True, False, None], weights=[82, 12, 6])[0]
            decided = (
                min(self.today, identified + dt.timedelta(days=rng.randint(0, 10)))
                if eligible is not None
                else None
            )
            basis = None
            if eligible is not None:
                basis = (
                    texts.ELIGIBILITY_BASES[-1] if not eligible else rng.choice(texts.ELIGIBILITY_BASES[:-1])
                )
            need = NeedPlan(self.uuid(), category, identified, eligible, decided, basis)
            plan.needs.append(need)
            if eligible and decided is not None and rng.random() < REFERRED_SHARE:
                referral = self.referral(plan, category, decided)
                if referral is not None:
                    plan.referrals.append(referral)
                    if referral.status == "received":
                        need.met_on = referral.events[-1][2]

    def referral(self, plan: ClientPlan, category: str, decided: dt.date) -> ReferralPlan | None:
        rng = self.rng
        referred = decided + dt.timedelta(days=rng.randint(0, 14))
        if referred > min(self.today, plan.last_active_day):
            return None
        offers = [
            p.id
            for p in self.providers
            if category in p.categories and (not p.wards or plan.ward_code in p.wards)
        ]
        provider = rng.choice(offers) if offers and rng.random() < 0.85 else None
        events = [(self.uuid(), "referred", referred)]
        answered = referred + dt.timedelta(days=rng.randint(1, 10))
        if answered <= self.today:
            outcome = rng.choices(["accepted", "declined", "no_show", "cancelled"], weights=[82, 8, 6, 4])[0]
            events.append((self.uuid(), outcome, answered))
            used = answered + dt.timedelta(days=rng.randint(2, 30))
            if outcome == "accepted" and used <= self.today:
                final = rng.choices(["received", "no_show", "cancelled"], weights=[88, 8, 4])[0]
                events.append((self.uuid(), final, used))
        notes = rng.choice(texts.REFERRAL_NOTES) if rng.random() < 0.4 else None
        return ReferralPlan(self.uuid(), category, provider, referred, events, notes)

    # --- contacts ----------------------------------------------------------------------------------

    def contacts(
        self, clients: Sequence[ClientPlan], count: int, batch_size: int
    ) -> Iterator[list[ContactPlan]]:
        """`count` contacts in batches: every client's first contact, then the rest (a fifth anonymous)."""
        linked = round(count * (1 - ANONYMOUS_SHARE))
        firsts = min(linked, len(clients))
        batch: list[ContactPlan] = []
        for index in range(count):
            if index < firsts:
                batch.append(self.linked_contact(clients[index], first=True))
            elif clients and self.rng.random() < (linked - firsts) / max(1, count - firsts):
                batch.append(self.linked_contact(self.rng.choice(clients), first=False))
            else:
                batch.append(self.anonymous_contact())
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def linked_contact(self, client: ClientPlan, *, first: bool) -> ContactPlan:
        rng = self.rng
        last = min(self.today, client.last_active_day)
        start = (
            max(client.registered_on, self.year_start) if last >= self.year_start else client.registered_on
        )
        day = (
            client.registered_on
            if first and client.registered_on >= self.year_start
            else self.day_between(start, last)
        )
        topics = {n.category for n in client.needs if rng.random() < 0.6}
        if not topics or rng.random() < 0.3:
            topics.add(rng.choice(TOPIC_VALUES))
        follow_up = None
        if client.closed_on is None and client.withdrawn_on is None and rng.random() < 0.3:
            follow_up = day + dt.timedelta(days=rng.randint(7, 30))
        return ContactPlan(
            id=self.uuid(),
            client_id=client.id,
            ward_code=client.ward_code,
            worker_id=client.worker_id if rng.random() < 0.85 else rng.choice(self.workers[client.ward_code]),
            contact_date=day,
            channel=rng.choices(CHANNELS, cum_weights=CHANNEL_CUM)[0],
            topics=sorted(topics, key=TOPIC_ORDER.__getitem__),
            duration_minutes=rng.choice(DURATIONS) if rng.random() < 0.9 else None,
            notes=rng.choice(texts.CONTACT_NOTES) if rng.random() < 0.45 else None,
            next_follow_up_on=follow_up,
            follow_up_done=follow_up is not None and follow_up < self.today and rng.random() < 0.85,
        )

    def anonymous_contact(self) -> ContactPlan:
        rng = self.rng
        ward = rng.choices(self.wards, cum_weights=self.ward_cum)[0]
        topics = rng.sample(ANONYMOUS_TOPIC_VALUES, k=rng.randint(1, 2))
        return ContactPlan(
            id=self.uuid(),
            client_id=None,
            ward_code=ward,
            worker_id=rng.choice(self.workers[ward]),
            contact_date=self.day_between(self.ward_start(ward), self.today),
            channel=rng.choices(ANONYMOUS_CHANNELS, cum_weights=ANONYMOUS_CHANNEL_CUM)[0],
            topics=sorted(topics, key=TOPIC_ORDER.__getitem__),
            duration_minutes=rng.choice(DURATIONS[:4]) if rng.random() < 0.8 else None,
            notes=rng.choice(texts.CONTACT_NOTES[:6]) if rng.random() < 0.1 else None,
            next_follow_up_on=None,
            follow_up_done=False,
        )
