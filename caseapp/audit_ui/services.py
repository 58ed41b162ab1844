"""Looking at the trail is itself recorded: who searched it, with which kinds of filter (not their values)."""

from __future__ import annotations

from collections.abc import Iterable

from caseapp.core import audit
from caseapp.extensions import db
from caseapp.users.models import User


def record_trail_view(*, actor: User, filters: Iterable[str]) -> None:
    audit.record("audit.viewed", user_id=actor.id, details={"filters": sorted(filters)})
    db.session.commit()
