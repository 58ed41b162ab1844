"""Admin forms for staff accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from caseapp.core.forms import BaseForm, choices

ROLE_CHOICES = choices(
    [
        ("worker", _l("Social worker")),
        ("supervisor", _l("Supervisor")),
        ("analyst", _l("Analyst (city)")),
        ("admin", _l("Administrator")),
    ]
)


class UserForm(BaseForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(min=3, max=64),
            Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use only letters a-z, digits, '.', '_' and '-'.")),
        ],
    )
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validators=[DataRequired()])
    # checkboxes, not a multi-select: choosing several wards must work by touch on a phone
    wards = SelectMultipleField(
        _l("Wards"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    active = BooleanField(_l("Active"), default=True)
