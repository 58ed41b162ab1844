"""Reads of targets: a year without a saved row gets the plan's defaults."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from caseapp.extensions import db
from caseapp.targets.models import DEFAULT_CONTACTS, DEFAULT_SERVICE_ACCESS_PCT, Target


@dataclass(frozen=True)
class TargetValues:
    """The targets in force for a year; `is_default` when no administrator has set them."""

    year: int
    contacts: int
    service_access_pct: int
    is_default: bool = False


def target_for(year: int) -> TargetValues:
    """The targets of a programme year, or the plan's defaults (550 contacts, 60 %)."""
    row = db.session.get(Target, year)
    if row is None:
        return TargetValues(year, DEFAULT_CONTACTS, DEFAULT_SERVICE_ACCESS_PCT, is_default=True)
    return TargetValues(row.year, row.contacts, row.service_access_pct)


def all_targets() -> list[Target]:
    return list(db.session.scalars(select(Target).order_by(Target.year.desc())))
