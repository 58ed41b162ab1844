"""The audit trail's filters: a GET form (bookmarkable, changes nothing), so no CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from caseapp.core.forms import DATE_FORMATS, BaseForm


def optional_int(value: object) -> int | None:
    if value is None or value == "":
        return None
    return int(str(value))


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False

    user = SelectField(_l("Staff member"), coerce=optional_int, validators=[Optional()])
    client = StringField(_l("Client code"), validators=[Optional(), Length(max=16)])
    date_from = DateField(_l("From"), format=DATE_FORMATS, validators=[Optional()])
    date_to = DateField(_l("To"), format=DATE_FORMATS, validators=[Optional()])
