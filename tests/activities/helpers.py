"""Plain factories for activity tests, and the hand-checked data set of 2025."""

from __future__ import annotations

import datetime as dt

from caseapp.activities.models import Activity
from caseapp.activities.rules import ActivityFields
from caseapp.activities.services import record_activity
from tests.factories import WARD_A, WARD_B

WARD_C = 70  # Phường Hoàn Kiếm: only a training there, so not covered by awareness
WARD_D = 25  # Phường Giảng Võ
TODAY = dt.date(2026, 11, 28)


def make_activity(
    *,
    ward: int = WARD_A,
    on: dt.date = dt.date(2025, 3, 1),
    kind: str = "awareness_session",
    audience: str = "residents",
    participants: int = 10,
    topic: str = "Phòng, chống mại dâm",
    organiser: str = "UBND phường",
    note: str | None = None,
) -> Activity:
    """An activity recorded as the command line would (no ward restriction)."""
    fields = ActivityFields(on, ward, kind, audience, participants, topic, organiser, note)
    return record_activity(actor=None, fields=fields, today=max(TODAY, on))


def seed_2025() -> None:
    """The data set whose figures the tests work out by hand (and one 2026 row that must not count)."""
    rows = [
        (WARD_A, dt.date(2025, 1, 10), "awareness_session", "residents", 40),
        (WARD_A, dt.date(2025, 1, 20), "media_item", "students", 500),
        (WARD_A, dt.date(2025, 3, 5), "training_course", "staff_volunteers", 30),
        (WARD_A, dt.date(2025, 3, 15), "peer_group", "establishment_workers", 12),
        (WARD_B, dt.date(2025, 2, 1), "awareness_session", "industrial_park_workers", 300),
        (WARD_B, dt.date(2025, 3, 10), "awareness_session", "residents", 60),
        (WARD_B, dt.date(2025, 3, 20), "training_course", "residents", 25),
        (WARD_C, dt.date(2025, 3, 31), "training_course", "staff_volunteers", 20),
        (WARD_D, dt.date(2025, 4, 2), "awareness_session", "students", 1000),
        (WARD_A, dt.date(2026, 1, 15), "awareness_session", "residents", 999),
    ]
    for ward, on, kind, audience, participants in rows:
        make_activity(ward=ward, on=on, kind=kind, audience=audience, participants=participants)
