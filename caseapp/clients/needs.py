"""Needs and eligibility: one need per client and service category, recorded and updated in place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseapp.clients import errors, rules
from caseapp.clients.consents import consent_in_force
from caseapp.clients.models import Client, ClientStatus, Need, ServiceCategory
from caseapp.core import audit
from caseapp.core.access import CASEWORK_ROLES, Role, ward_codes_of
from caseapp.core.clock import hanoi_today
from caseapp.extensions import db
from caseapp.users.models import User


@dataclass(frozen=True)
class NeedDetails:
    """A need as entered: eligible None means not decided yet (then no decision date or basis)."""

    category: str
    identified_on: dt.date
    eligible: bool | None = None
    decided_on: dt.date | None = None
    basis: str | None = None
    met_on: dt.date | None = None


def need_for(client: Client, category: str) -> Need | None:
    """The client's need in a category, if recorded."""
    return next((n for n in client.needs if n.category == category), None)


def _check(client: Client, actor: User, need: NeedDetails, today: dt.date) -> NeedDetails:
    if Role(actor.role) not in CASEWORK_ROLES or client.ward_code not in ward_codes_of(actor):
        raise errors.NotAllowed()
    if need.category not in set(ServiceCategory):
        raise errors.UnknownChoice("category")
    if client.status != ClientStatus.ACTIVE.value:
        raise errors.ClientClosed()
    if consent_in_force(client) is None:
        raise errors.ConsentWithdrawn()
    basis = rules.clean_text(need.basis)
    rules.check_length("eligibility_basis", basis)
    rules.check_past_date("identified_on", need.identified_on, today)
    if need.eligible is None and (need.decided_on is not None or basis is not None):
        raise errors.EligibilityIncomplete("eligible")
    if need.eligible is not None and need.decided_on is None:
        raise errors.EligibilityIncomplete("decided_on")
    for field in ("decided_on", "met_on"):
        value = getattr(need, field)
        if value is not None and value > today:
            raise errors.DateInFuture(field)
        rules.check_not_before(field, value, need.identified_on)
    return NeedDetails(need.category, need.identified_on, need.eligible, need.decided_on, basis, need.met_on)


def record_need(*, client: Client, actor: User, need: NeedDetails, today: dt.date | None = None) -> Need:
    """Record the client's need in a category, or update the one already recorded there."""
    need = _check(client, actor, need, today or hanoi_today())
    row = need_for(client, need.category)
    values = {
        "identified_on": need.identified_on,
        "eligible": need.eligible,
        "eligibility_decided_on": need.decided_on,
        "eligibility_basis": need.basis,
        "met_on": need.met_on,
    }
    if row is None:
        row = Need(category=need.category, recorded_by=actor.id, **values)
        client.needs.append(row)
        changed = ["category", *(name for name, value in values.items() if value is not None)]
        action = "need.recorded"
    else:
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, values[name])
        action = "need.updated"
    if changed:
        db.session.flush()
        audit.record(
            action,
            user_id=actor.id,
            entity_type="need",
            entity_id=row.id,
            ward_code=client.ward_code,
            fields=changed,
            details={"client_id": str(client.id)},
        )
    db.session.commit()
    return row
