"""The contact form: few required fields, big touch targets; the rules live in services.py."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from caseapp.contacts.labels import CHANNEL_LABELS, TOPIC_LABELS
from caseapp.contacts.models import Channel, Topic
from caseapp.contacts.services import MAX_DURATION_MINUTES, MAX_NOTES_LENGTH
from caseapp.core.forms import (
    BAD_CHOICE,
    BAD_DATE,
    BAD_NUMBER,
    DATE_FORMATS,
    REQUIRED,
    BaseForm,
    IntegerField,
    choices,
)
from caseapp.wards.models import Ward


def optional_int(value: object) -> int | None:
    """Coerce a select's value to int; the empty placeholder option is None."""
    if value is None or value == "":
        return None
    return int(str(value))


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes (easier to tap than a multi-select on a phone)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ContactForm(BaseForm):
    client_code = StringField(_l("Client code"), validators=[InputRequired(message=REQUIRED), Length(max=16)])
    contact_date = DateField(
        _l("Date"),
        format=DATE_FORMATS,
        validators=[InputRequired(message=REQUIRED)],
        invalid_value_message=BAD_DATE,
    )
    ward = SelectField(
        _l("Ward"),
        coerce=optional_int,
        validators=[InputRequired(message=REQUIRED)],
        invalid_choice_message=BAD_CHOICE,
        invalid_value_message=BAD_CHOICE,
    )
    channel = RadioField(
        _l("Channel"),
        choices=choices((c.value, CHANNEL_LABELS[c]) for c in Channel),
        validators=[InputRequired(message=REQUIRED)],
        invalid_choice_message=BAD_CHOICE,
    )
    topics = MultiCheckboxField(
        _l("Topics"),
        choices=choices((t.value, TOPIC_LABELS[t]) for t in Topic),
        invalid_choice_message=BAD_CHOICE,
    )
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_DURATION_MINUTES, message=_l("Between 1 and 600 minutes.")),
        ],
        invalid_value_message=BAD_NUMBER,
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=MAX_NOTES_LENGTH, message=_l("At most %(max)d characters."))],
    )
    next_follow_up_on = DateField(
        _l("Next follow-up"), format=DATE_FORMATS, validators=[Optional()], invalid_value_message=BAD_DATE
    )

    def set_wards(self, wards: Iterable[Ward]) -> None:
        """Offer the actor's wards; with several, the worker must pick one (no silent default)."""
        wards = list(wards)
        pairs: list[tuple[object, object]] = [(w.code, w.name) for w in wards]
        if len(wards) != 1:
            pairs.insert(0, ("", _l("Choose a ward")))
        self.ward.choices = choices(pairs)


class ConfirmForm(BaseForm):
    """A button that only carries the CSRF token (mark a follow-up done)."""
