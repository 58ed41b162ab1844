"""The administrator's form for a year's targets."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, NumberRange

from caseapp.core.forms import BaseForm, IntegerField
from caseapp.targets.services import MAX_CONTACTS, YEARS


class TargetForm(BaseForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(YEARS.start, YEARS.stop - 1)])
    contacts = IntegerField(
        _l("Contacts and consultations in the year"),
        validators=[InputRequired(), NumberRange(0, MAX_CONTACTS)],
    )
    service_access_pct = IntegerField(
        _l("Eligible people who used a service (%)"), validators=[InputRequired(), NumberRange(1, 100)]
    )
