"""What simulated staff do, as small pluggable scenarios: reads, and writes that must land exactly once.

A scenario names the routes it needs and runs only when the app has them, so a scenario written for a
page still being built (client registration) switches itself on when that page is committed. A write
scenario carries a unique token in a free-text field, and afterwards counts each token in the database.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from flask import Flask
from werkzeug.exceptions import HTTPException

if TYPE_CHECKING:
    from loadtest.driver import SimulatedUser

HANOI = dt.timezone(dt.timedelta(hours=7))
FIELD_PATTERN = re.compile(r'<(input|select|textarea)\b[^>]*\bname="([^"]+)"', re.IGNORECASE)


def hanoi_today() -> str:
    return dt.datetime.now(HANOI).date().isoformat()


@dataclass
class Write:
    """One attempted write: its token, and whether the server acknowledged it (a redirect after saving)."""

    scenario: str
    token: str
    acknowledged: bool
    at: float = field(default_factory=time.monotonic)  # when the answer (or its absence) came


class Scenario:
    """Something a simulated user does; `run` returns the write it attempted, if any."""

    name: ClassVar[str]
    role: ClassVar[str]  # "worker" or "supervisor"
    weight: ClassVar[int] = 1
    # (method, path) pairs the app must route for this scenario to run
    routes: ClassVar[tuple[tuple[str, str], ...]] = ()

    def available(self, app: Flask) -> bool:
        adapter = app.url_map.bind("localhost")
        try:
            for method, path in self.routes:
                adapter.match(path, method)
        except HTTPException:  # 404 or 405: that page is not (yet) in this app
            return False
        return True

    def run(self, user: SimulatedUser) -> Write | None:
        raise NotImplementedError


class Page(Scenario):
    """Open a page (a list or a dashboard)."""

    path: ClassVar[str]

    def run(self, user: SimulatedUser) -> Write | None:
        user.get(self.path, self.name)
        return None


class WriteScenario(Scenario):
    """Fill a form with a unique token and post it; `stored` counts the tokens in the database."""

    form_path: ClassVar[str]

    def fields(self, user: SimulatedUser, token: str) -> dict[str, object] | None:
        raise NotImplementedError

    def run(self, user: SimulatedUser) -> Write | None:
        token = user.next_token(self.name)
        page = user.get(self.form_path, f"{self.name} form")
        data = self.fields(user, token) if page is not None and page.status_code == 200 else None
        if page is None or data is None:
            return None
        acknowledged = user.post(self.form_path, data, self.name)
        return Write(self.name, token, acknowledged)

    def stored(self, app: Flask, prefix: str) -> Counter[str]:
        raise NotImplementedError


def _contact_fields(user: SimulatedUser, token: str) -> dict[str, object]:
    return {
        "contact_date": hanoi_today(),
        "ward": user.staff.wards[0],
        "channel": "outreach",
        "topics": random.sample(["health", "legal", "psychological", "harm_reduction_hiv"], 2),
        "duration_minutes": random.randint(5, 60),
        "notes": token,
    }


def stored_contact_notes(app: Flask, prefix: str) -> Counter[str]:
    from sqlalchemy import select

    from caseapp.contacts.models import Contact
    from caseapp.extensions import db

    with app.app_context():
        notes = [c.notes for c in db.session.execute(select(Contact)).scalars()]
        db.session.remove()
    return Counter(n for n in notes if n and n.startswith(prefix))


class AnonymousContact(WriteScenario):
    """Log an anonymous outreach contact (no consent, nobody linked)."""

    name = "anonymous contact"
    role = "worker"
    weight = 3
    form_path = "/contacts/anonymous"
    routes = (("POST", form_path),)

    def fields(self, user: SimulatedUser, token: str) -> dict[str, object] | None:
        return _contact_fields(user, token)

    def stored(self, app: Flask, prefix: str) -> Counter[str]:
        return Counter({t: n for t, n in stored_contact_notes(app, prefix).items() if self.name in t})


class ClientContact(WriteScenario):
    """Log a contact with a registered client, found by client code."""

    name = "client contact"
    role = "worker"
    weight = 3
    form_path = "/contacts/new"
    routes = (("POST", form_path),)

    def fields(self, user: SimulatedUser, token: str) -> dict[str, object] | None:
        if not user.staff.client_codes:
            return None
        return {**_contact_fields(user, token), "client_code": random.choice(user.staff.client_codes)}

    def stored(self, app: Flask, prefix: str) -> Counter[str]:
        return Counter({t: n for t, n in stored_contact_notes(app, prefix).items() if self.name in t})


class ClientRegistration(WriteScenario):
    """Register a new client with only an alias, a ward and a birth year (DESIGN §3).

    The form is read from the page, so the scenario follows the clients feature's field names: the alias
    carries the token, consent boxes are ticked, the first offered choice is taken elsewhere.
    """

    name = "client registration"
    role = "worker"
    weight = 1
    form_path = "/clients/new"
    routes = (("POST", form_path),)
    KNOWN: ClassVar[dict[str, object]] = {"birth_year": 1996, "sex": "unknown", "migrant": ""}

    def fields(self, user: SimulatedUser, token: str) -> dict[str, object] | None:
        page = user.last_page
        names = {m.group(2) for m in FIELD_PATTERN.finditer(page)} - {"csrf_token"}
        if "alias" not in names:
            return None
        data: dict[str, object] = {"alias": token, "ward": user.staff.wards[0]}
        for name in names - set(data):
            if name in self.KNOWN:
                data[name] = self.KNOWN[name]
            elif "consent" in name or name in ("purposes", "data_categories"):
                data[name] = _checkbox_values(page, name) or "y"
            elif name.endswith(("_on", "date")):
                data[name] = hanoi_today()
        return data

    def stored(self, app: Flask, prefix: str) -> Counter[str]:
        from sqlalchemy import select

        from caseapp.clients.models import Client
        from caseapp.extensions import db

        with app.app_context():
            aliases = [c.alias for c in db.session.execute(select(Client)).scalars()]
            db.session.remove()
        return Counter(a for a in aliases if a and a.startswith(prefix))


def _checkbox_values(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{re.escape(name)}"[^>]*value="([^"]+)"', page)


class ContactList(Page):
    name = "contact list"
    role = "worker"
    weight = 2
    path = "/contacts/"
    routes = (("GET", path),)


class Home(Page):
    name = "home"
    role = "worker"
    weight = 1
    path = "/"
    routes = (("GET", path),)


class SupervisorDashboard(Page):
    name = "supervisor dashboard"
    role = "supervisor"
    weight = 3
    path = "/indicators/"
    routes = (("GET", path),)


class SupervisorContacts(Page):
    name = "supervisor contact list"
    role = "supervisor"
    weight = 1
    path = "/contacts/"
    routes = (("GET", path),)


ALL: Sequence[Scenario] = (
    AnonymousContact(),
    ClientContact(),
    ClientRegistration(),
    ContactList(),
    Home(),
    SupervisorDashboard(),
    SupervisorContacts(),
)


def available(app: Flask, scenarios: Sequence[Scenario] = ALL) -> list[Scenario]:
    """The scenarios whose pages this app has."""
    return [s for s in scenarios if s.available(app)]
