"""Activity and ActivityTarget: programme activities and the plan's reach targets.

Neither table holds personal data: an activity is a public event counted by its number of participants,
never by who they were, so nothing here is encrypted (the crypto registry allowlists `activities.note`).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.core.db import new_uuid, utcnow
from caseapp.extensions import Model

# more than any single event or media item in one ward plausibly reaches: a larger figure is a typo
MAX_PARTICIPANTS = 20_000
TOPIC_MAX = 200
ORGANISER_MAX = 200
NOTE_MAX = 500


class ActivityKind(enum.StrEnum):
    AWARENESS_SESSION = "awareness_session"
    MEDIA_ITEM = "media_item"
    TRAINING_COURSE = "training_course"
    PEER_GROUP = "peer_group"


# awareness reach and ward coverage count every kind but training; trainings count against their own target
AWARENESS_KINDS = frozenset(k for k in ActivityKind if k is not ActivityKind.TRAINING_COURSE)


class AudienceGroup(enum.StrEnum):
    RESIDENTS = "residents"
    ESTABLISHMENT_WORKERS = "establishment_workers"
    INDUSTRIAL_PARK_WORKERS = "industrial_park_workers"
    STUDENTS = "students"
    STAFF_VOLUNTEERS = "staff_volunteers"


class TargetMeasure(enum.StrEnum):
    """What a yearly target counts: awareness reach per audience group, trainees, covered wards."""

    RESIDENTS = "residents"
    ESTABLISHMENT_WORKERS = "establishment_workers"
    INDUSTRIAL_PARK_WORKERS = "industrial_park_workers"
    STUDENTS = "students"
    STAFF_VOLUNTEERS = "staff_volunteers"
    TRAINED = "trained"
    WARD_COVERAGE = "ward_coverage"


class Activity(Model):
    """One awareness session, media item, training course or peer-group meeting; counts only, no persons."""

    __tablename__ = "activities"
    __table_args__ = (
        # reach, coverage and the export all filter by year (and ward)
        Index("ix_activities_ward_date", "ward_code", "activity_date"),
        CheckConstraint(f"participants >= 0 AND participants <= {MAX_PARTICIPANTS}", name="participants"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_uuid)
    activity_date: Mapped[dt.date] = mapped_column(index=True)
    ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"))
    kind: Mapped[str] = mapped_column(String(24))
    audience: Mapped[str] = mapped_column(String(32))
    participants: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(TOPIC_MAX))
    # an organisation (ward team, school, union), never a person's name
    organiser: Mapped[str] = mapped_column(String(ORGANISER_MAX))
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column()


class ActivityTarget(Model):
    """A yearly target for one measure; a missing row means the plan's default figure applies."""

    __tablename__ = "activity_targets"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    measure: Mapped[str] = mapped_column(String(32), primary_key=True)
    # None: deliberately no target for this measure this year
    value: Mapped[int | None] = mapped_column(Integer)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
