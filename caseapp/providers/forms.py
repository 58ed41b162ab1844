"""The provider form (admins and supervisors)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from caseapp.clients.models import ServiceCategory
from caseapp.core.forms import BAD_CHOICE, TOO_LONG, BaseForm, choices
from caseapp.providers.labels import CATEGORY_LABELS
from caseapp.providers.services import MAX_ADDRESS, MAX_NAME, PHONE_PATTERN


class ProviderForm(BaseForm):
    name = StringField(
        _l("Name"),
        validators=[
            InputRequired(message=_l("This field is required.")),
            Length(max=MAX_NAME, message=TOO_LONG),
        ],
    )
    categories = SelectMultipleField(
        _l("Services offered"),
        choices=choices((c.value, CATEGORY_LABELS[c]) for c in ServiceCategory),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        invalid_choice_message=BAD_CHOICE,
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=MAX_ADDRESS, message=TOO_LONG)])
    phone = StringField(
        _l("Phone"),
        validators=[
            Optional(),
            Regexp(PHONE_PATTERN.pattern, message=_l("Digits, spaces and + ( ) . - only.")),
        ],
    )
    # checkboxes, not a multi-select: choosing several wards must work by touch on a phone
    wards = SelectMultipleField(
        _l("Wards served"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        invalid_choice_message=BAD_CHOICE,
        invalid_value_message=BAD_CHOICE,
    )
    active = BooleanField(_l("Active (offered in referrals)"), default=True)
