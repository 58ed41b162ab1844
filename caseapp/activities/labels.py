"""Translated labels for activity codes and for the reasons an activity or an import is refused."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from caseapp.activities.imports import MAX_ROWS
from caseapp.activities.models import MAX_PARTICIPANTS, ActivityKind, AudienceGroup, TargetMeasure

KIND_LABELS: dict[str, Any] = {
    ActivityKind.AWARENESS_SESSION: _l("Awareness session"),
    ActivityKind.MEDIA_ITEM: _l("Media or online item"),
    ActivityKind.TRAINING_COURSE: _l("Training course"),
    ActivityKind.PEER_GROUP: _l("Peer-group meeting"),
}

AUDIENCE_LABELS: dict[str, Any] = {
    AudienceGroup.RESIDENTS: _l("Residents"),
    AudienceGroup.ESTABLISHMENT_WORKERS: _l("Workers in establishments at risk"),
    AudienceGroup.INDUSTRIAL_PARK_WORKERS: _l("Industrial-park workers"),
    AudienceGroup.STUDENTS: _l("Students"),
    AudienceGroup.STAFF_VOLUNTEERS: _l("Staff, officials and volunteers"),
}

MEASURE_LABELS: dict[str, Any] = {
    **{TargetMeasure(audience): label for audience, label in AUDIENCE_LABELS.items()},
    TargetMeasure.TRAINED: _l("Staff and others trained"),
    TargetMeasure.WARD_COVERAGE: _l("Wards with awareness activities"),
}

REASONS: dict[str, Any] = {
    "date_future": _l("The date is in the future."),
    "date_outside_year": _l("The date is not in the year being imported."),
    "date_before_programme": _l("The date is before the programme started (2025)."),
    "bad_date": _l("Not a date: write 15/03/2026 or 2026-03-15."),
    "unknown_ward": _l("Unknown ward code."),
    "ward_not_yours": _l("You do not record activities for this ward."),
    "unknown_kind": _l("Unknown kind of activity."),
    "unknown_audience": _l("Unknown audience group."),
    "participants_not_number": _l("The number of participants must be a whole number."),
    "participants_negative": _l("The number of participants cannot be negative."),
    "participants_too_many": _l("More than %(max)s participants: check the number.", max=MAX_PARTICIPANTS),
    "topic_required": _l("The topic is required."),
    "organiser_required": _l("The organiser is required."),
    "too_long": _l("This text is too long."),
    "looks_personal": _l(
        "This looks like a phone number, ID number or e-mail address: no personal data here."
    ),
    "not_utf8": _l('The file is not UTF-8 text. In Excel, save as "CSV UTF-8".'),
    "empty_file": _l("The file is empty."),
    "unreadable": _l("The file cannot be read as CSV from this line (a quote not closed, or a huge cell)."),
    "bad_header": _l("The first line must be exactly the template's header."),
    "too_many_rows": _l("The file has too many rows (at most %(max)s).", max=MAX_ROWS),
    "no_rows": _l("The file has no activities."),
    "wrong_column_count": _l("This row does not have the 8 columns of the template."),
    "duplicate_in_file": _l("This row repeats an earlier row of the file."),
    "duplicate_existing": _l("This activity is already recorded."),
}

COLUMN_LABELS: dict[str, Any] = {
    "date": _l("Date"),
    "ward_code": _l("Ward"),
    "kind": _l("Kind of activity"),
    "audience": _l("Audience group"),
    "participants": _l("Participants"),
    "topic": _l("Topic"),
    "organiser": _l("Organiser"),
    "note": _l("Note"),
}


def reason_text(reason: str) -> str:
    return str(REASONS.get(reason, reason))
