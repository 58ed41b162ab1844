"""The access matrix's machinery: every route of app.url_map, filled with the ids of a chosen ward's records.

Routes are discovered, never listed by hand, so a route added by any feature is covered the day it lands.
A path argument is filled from its name (client_id, contact_id, ...) and converter; an unknown *_id argument
fails the matrix with a message saying where to map it, so no id-bearing route slips through untested.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from caseapp.core.access import Policy, Role, policy_for
from caseapp.extensions import db
from tests.security.world import WardRecords

# endpoints with no login; anything public beyond these fails the matrix (the allowlist stays short)
PUBLIC_ALLOWLIST = frozenset({"static", "auth.login", "auth.verify", "home.set_language", "ops.healthz"})
# ending the shared session mid-matrix would log a role out; logout is covered by tests/auth
SESSION_ENDING = frozenset({"auth.logout"})
# tables the application writes as a side effect of any request (audit trail, sessions, throttling)
LOG_TABLES = frozenset({"audit_events", "audit_head", "user_sessions", "login_failures", "alembic_version"})

# path argument -> (record kind, personal): personal records are reachable only by their ward's casework roles
ARGUMENT_KINDS: dict[str, tuple[str, bool]] = {
    "client_id": ("client", True),
    "contact_id": ("contact", True),
    "referral_id": ("referral", True),
    "need_id": ("need", True),
    "consent_id": ("consent", True),
    "activity_id": ("activity", False),
    "provider_id": ("provider", False),
    "user_id": ("victim", False),
    "job_id": ("export_job", False),
}
# ward-scoped but not personal: casework roles of another ward get 404 too
WARD_SCOPED_KINDS = frozenset({"activity"})
PLAIN_VALUES: dict[str, object] = {"year": 2026, "month": "2026-01", "filename": "css/app.css", "lang": "vi"}


class UnmappedArgument(LookupError):
    """A route argument the matrix does not know how to fill: map it in ARGUMENT_KINDS."""


@dataclass(frozen=True)
class Route:
    """One endpoint and method, with what the matrix needs to know about it."""

    endpoint: str
    method: str
    rule: Rule
    policy: Policy | None

    @property
    def public(self) -> bool:
        return self.policy is not None and self.policy.public

    def admits(self, role: Role) -> bool:
        return self.policy is not None and role in self.policy.roles

    def kinds(self) -> set[str]:
        return {ARGUMENT_KINDS[arg][0] for arg in self.rule.arguments if arg in ARGUMENT_KINDS}

    def has_personal_ids(self) -> bool:
        personal = {arg for arg, (_, is_personal) in ARGUMENT_KINDS.items() if is_personal}
        return bool(personal & set(self.rule.arguments)) or self._client_code_argument()

    def has_ward_ids(self, role: Role) -> bool:
        """Whether `role` must get 404 for this route when the ids belong to a ward it does not have."""
        casework = role in (Role.WORKER, Role.SUPERVISOR)
        return not self.public and (
            self.has_personal_ids() or (casework and bool(self.kinds() & WARD_SCOPED_KINDS))
        )

    def _client_code_argument(self) -> bool:
        return not self.public and "code" in self.rule.arguments and converter(self.rule, "code") == "string"

    def __str__(self) -> str:
        return f"{self.method} {self.endpoint}"


def converter(rule: Rule, argument: str) -> str:
    found = getattr(rule, "_converters", {}).get(argument)
    name = type(found).__name__ if found is not None else "UnicodeConverter"
    return {"IntegerConverter": "int", "UUIDConverter": "uuid", "PathConverter": "path"}.get(name, "string")


def routes(app: Flask) -> list[Route]:
    """Every endpoint × method of the app (HEAD and OPTIONS are Flask's own)."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append(Route(rule.endpoint, method, rule, policy_for(app, rule.endpoint)))
    return found


@dataclass
class Ids:
    """The values used to fill routes for one ward: its records, plus the ward-independent ones."""

    records: WardRecords
    victim_user_id: int
    victim_export_job: uuid.UUID

    def value(self, rule: Rule, argument: str) -> object:
        kind = ARGUMENT_KINDS.get(argument, (None, False))[0]
        records = self.records
        by_kind: dict[str | None, object] = {
            "client": records.client_id,
            "contact": records.contact_id,
            "referral": records.referral_id,
            "need": records.need_id,
            "consent": records.consent_id,
            "activity": records.activity_id,
            "provider": records.provider_id,
            "victim": self.victim_user_id,
            "export_job": self.victim_export_job,
        }
        if kind is not None:
            return by_kind[kind]
        if argument == "code":
            return records.ward if converter(rule, argument) == "int" else records.client_code
        if argument in PLAIN_VALUES:
            return PLAIN_VALUES[argument]
        if argument.endswith("_id"):
            raise UnmappedArgument(
                f"{rule.endpoint}: map the argument {argument!r} in tests/security/matrix.py"
            )
        return {"int": 1, "uuid": uuid.uuid4(), "path": "x"}.get(converter(rule, argument), "x")

    def path(self, route: Route) -> str:
        values = {arg: self.value(route.rule, arg) for arg in route.rule.arguments}
        return str(route.rule.build(values, append_unknown=False)[1])  # type: ignore[index]

    def fields(self) -> dict[str, str]:
        """The same ids under every name a form or a query string might use for them."""
        r = self.records
        return {
            "client_id": str(r.client_id),
            "client": r.client_code,
            "client_code": r.client_code,
            "code": r.client_code,
            "q": r.client_code,
            "contact_id": str(r.contact_id),
            "referral_id": str(r.referral_id),
            "need_id": str(r.need_id),
            "consent_id": str(r.consent_id),
            "activity_id": str(r.activity_id),
            "ward": str(r.ward),
            "ward_code": str(r.ward),
            "phone": r.canaries[1],
            "id_number": r.canaries[2],
            "value": r.canaries[1],
        }


def markers(records: WardRecords) -> set[object]:
    """Values that identify a ward's records in a database row."""
    return {
        records.client_id,
        records.contact_id,
        records.referral_id,
        records.need_id,
        records.consent_id,
        records.activity_id,
        records.client_code,
    }


def snapshot() -> dict[str, set[tuple[Any, ...]]]:
    """Every row of every data table (the log-like tables aside), to see what a request wrote."""
    tables = [t for t in db.metadata.sorted_tables if t.name not in LOG_TABLES]
    return {t.name: {tuple(map(_hashable, row)) for row in db.session.execute(select(t))} for t in tables}


def _hashable(value: object) -> object:
    # JSON columns come back as lists and dicts
    return json.dumps(value, sort_keys=True, default=str) if isinstance(value, list | dict) else value


def touched_rows(
    before: dict[str, set[tuple[Any, ...]]], after: dict[str, set[tuple[Any, ...]]]
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    for table, rows in after.items():
        for row in rows ^ before.get(table, set()):
            yield table, row


def foreign_writes(
    before: dict[str, set[tuple[Any, ...]]],
    after: dict[str, set[tuple[Any, ...]]],
    foreign: WardRecords,
) -> list[str]:
    """Rows added, changed or removed that belong to, or point at, the foreign ward's records."""
    wanted = markers(foreign)
    ward_tables = _ward_columns()
    found = []
    for table, row in touched_rows(before, after):
        ward_positions = ward_tables.get(table, ())
        if wanted & set(row) or any(row[i] == foreign.ward for i in ward_positions):
            found.append(table)
    return sorted(set(found))


def _ward_columns() -> dict[str, tuple[int, ...]]:
    positions = {}
    for table in db.metadata.sorted_tables:
        names = [c.name for c in table.columns]
        positions[table.name] = tuple(i for i, name in enumerate(names) if name in ("ward_code", "ward"))
    return positions


@dataclass
class Tally:
    """How many cases the matrix checked, and the failures it found, for the summary line."""

    cases: int = 0
    requests: int = 0
    by_role: dict[str, int] = field(default_factory=dict)

    def count(self, role: str, cases: int = 1) -> None:
        self.cases += cases
        self.by_role[role] = self.by_role.get(role, 0) + cases


TALLY = Tally()
