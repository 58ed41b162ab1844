"""Writes to targets: one function, audited (field names only)."""

from __future__ import annotations

from caseapp.core import audit
from caseapp.extensions import db
from caseapp.targets.models import Target

YEARS = range(2025, 2101)
MAX_CONTACTS = 10_000_000


class InvalidTarget(ValueError):
    """A year outside 2025-2100, a negative contacts target, or a percentage outside 1-100."""


def set_targets(*, year: int, contacts: int, service_access_pct: int, actor_id: int | None = None) -> Target:
    """Create or change a year's targets; records which fields changed."""
    if year not in YEARS or not 0 <= contacts <= MAX_CONTACTS or not 1 <= service_access_pct <= 100:
        raise InvalidTarget(f"{year}")
    target = db.session.get(Target, year)
    action = "target.updated"
    if target is None:
        target = Target(year=year)
        db.session.add(target)
        action = "target.created"
    changed = [
        name
        for name, value in (("contacts", contacts), ("service_access_pct", service_access_pct))
        if getattr(target, name) != value
    ]
    if not changed:
        return target
    target.contacts, target.service_access_pct, target.updated_by = contacts, service_access_pct, actor_id
    audit.record(action, user_id=actor_id, entity_type="target", entity_id=year, fields=changed)
    db.session.commit()
    return target
