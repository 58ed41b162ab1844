"""Forms for recording an activity, setting the year's targets and importing a CSV (shape only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from caseapp.activities.labels import AUDIENCE_LABELS, KIND_LABELS
from caseapp.activities.models import MAX_PARTICIPANTS, NOTE_MAX, ORGANISER_MAX, TOPIC_MAX
from caseapp.activities.rules import FIRST_YEAR
from caseapp.core.clock import hanoi_today
from caseapp.core.forms import BaseForm, IntegerField, choices


def year_choices() -> list[tuple[int, str]]:
    """Programme years up to this one, newest first."""
    return [(year, str(year)) for year in range(hanoi_today().year, FIRST_YEAR - 1, -1)]


class ActivityForm(BaseForm):
    activity_date = DateField(_l("Date"), validators=[InputRequired()])
    ward_code = SelectField(_l("Ward"), coerce=int, validators=[InputRequired()])
    kind = SelectField(_l("Kind of activity"), choices=choices(KIND_LABELS.items()))
    audience = SelectField(_l("Audience group"), choices=choices(AUDIENCE_LABELS.items()))
    participants = IntegerField(
        _l("Participants"), validators=[InputRequired(), NumberRange(min=0, max=MAX_PARTICIPANTS)]
    )
    topic = StringField(_l("Topic"), validators=[InputRequired(), Length(max=TOPIC_MAX)])
    organiser = StringField(
        _l("Organiser (an organisation, not a person)"),
        validators=[InputRequired(), Length(max=ORGANISER_MAX)],
    )
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=NOTE_MAX)])


class TargetsForm(BaseForm):
    residents = IntegerField(validators=[Optional(), NumberRange(min=0)])
    establishment_workers = IntegerField(validators=[Optional(), NumberRange(min=0)])
    industrial_park_workers = IntegerField(validators=[Optional(), NumberRange(min=0)])
    students = IntegerField(validators=[Optional(), NumberRange(min=0)])
    staff_volunteers = IntegerField(validators=[Optional(), NumberRange(min=0)])
    trained = IntegerField(validators=[Optional(), NumberRange(min=0)])
    ward_coverage = IntegerField(validators=[Optional(), NumberRange(min=0)])


class ImportForm(BaseForm):
    year = SelectField(_l("Year of the activities"), coerce=int)
    file = FileField(_l("CSV file (UTF-8)"), validators=[FileRequired()])
