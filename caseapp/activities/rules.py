"""The rules an activity must meet, shared by the form's service, the CSV import and the CLI.

Each check returns problems as (field, reason code); the caller decides how to report them (form errors,
an import report, a CLI line). Reason codes are stable and translated in labels.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

from caseapp.activities.models import (
    MAX_PARTICIPANTS,
    NOTE_MAX,
    ORGANISER_MAX,
    TOPIC_MAX,
    ActivityKind,
    AudienceGroup,
)

# the programme started in 2025 (the first cohort of wards); nothing earlier belongs in the register
FIRST_YEAR = 2025
# nine or more digits (phone, ID number) or an e-mail address: personal data has no place in an activity
PERSONAL_PATTERN = re.compile(r"(?:\d[\s.\-]?){9,}|[^\s@]+@[^\s@]+\.[^\s@]+")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an activity: the field and a stable reason code."""

    field: str
    reason: str


class ActivityInvalid(ValueError):
    """An activity that breaks the rules; `problems` says which fields and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(", ".join(f"{p.field}:{p.reason}" for p in problems))


@dataclass(frozen=True)
class ActivityFields:
    """The values of an activity as entered, before they are stored."""

    activity_date: dt.date
    ward_code: int
    kind: str
    audience: str
    participants: int
    topic: str
    organiser: str
    note: str | None = None

    def cleaned(self) -> ActivityFields:
        """The same values with surrounding spaces removed and an empty note as None."""
        note = (self.note or "").strip() or None
        return ActivityFields(
            self.activity_date,
            self.ward_code,
            self.kind.strip(),
            self.audience.strip(),
            self.participants,
            self.topic.strip(),
            self.organiser.strip(),
            note,
        )


def check_date(value: dt.date, *, today: dt.date, year: int | None = None) -> list[Problem]:
    """Not in the future, not before the programme, and in `year` when one is given."""
    if value > today:
        return [Problem("activity_date", "date_future")]
    if year is not None and value.year != year:
        return [Problem("activity_date", "date_outside_year")]
    if value.year < FIRST_YEAR:
        return [Problem("activity_date", "date_before_programme")]
    return []


def check_ward(code: int, *, known: Collection[int], allowed: Collection[int] | None) -> list[Problem]:
    """A Hà Nội ward, and one of the actor's wards when the actor is limited to some."""
    if code not in known:
        return [Problem("ward_code", "unknown_ward")]
    if allowed is not None and code not in allowed:
        return [Problem("ward_code", "ward_not_yours")]
    return []


def check_participants(value: int) -> list[Problem]:
    if value < 0:
        return [Problem("participants", "participants_negative")]
    if value > MAX_PARTICIPANTS:
        return [Problem("participants", "participants_too_many")]
    return []


def check_text(field: str, value: str | None, *, limit: int, required: bool) -> list[Problem]:
    """Present when required, within its length, and free of anything that looks like personal data."""
    if not value:
        return [Problem(field, f"{field}_required")] if required else []
    if len(value) > limit:
        return [Problem(field, "too_long")]
    if PERSONAL_PATTERN.search(value):
        return [Problem(field, "looks_personal")]
    return []


def check_codes(kind: str, audience: str) -> list[Problem]:
    problems = []
    if kind not in set(ActivityKind):
        problems.append(Problem("kind", "unknown_kind"))
    if audience not in set(AudienceGroup):
        problems.append(Problem("audience", "unknown_audience"))
    return problems


def check_texts(topic: str, organiser: str, note: str | None) -> list[Problem]:
    return [
        *check_text("topic", topic, limit=TOPIC_MAX, required=True),
        *check_text("organiser", organiser, limit=ORGANISER_MAX, required=True),
        *check_text("note", note, limit=NOTE_MAX, required=False),
    ]


def check_activity(
    fields: ActivityFields,
    *,
    known_wards: Collection[int],
    allowed_wards: Collection[int] | None,
    today: dt.date,
    year: int | None = None,
) -> list[Problem]:
    """Every problem with an activity's values (cleaned first); empty when it may be stored."""
    return [
        *check_date(fields.activity_date, today=today, year=year),
        *check_ward(fields.ward_code, known=known_wards, allowed=allowed_wards),
        *check_codes(fields.kind, fields.audience),
        *check_participants(fields.participants),
        *check_texts(fields.topic, fields.organiser, fields.note),
    ]
