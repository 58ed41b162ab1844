"""Forms for data-subject requests: when the request was received, what to correct, the erasure check."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from caseapp.core.forms import BAD_DATE, DATE_FORMATS, REQUIRED, BaseForm


class FindClientForm(BaseForm):
    code = StringField(_l("Client code"), validators=[InputRequired(message=REQUIRED), Length(max=16)])


class RequestForm(BaseForm):
    received_on = DateField(
        _l("Request received on"),
        format=DATE_FORMATS,
        validators=[InputRequired(message=REQUIRED)],
        invalid_value_message=BAD_DATE,
    )


class CorrectionForm(RequestForm):
    alias = StringField(_l("Alias"), validators=[Length(max=120)])
    full_name = StringField(_l("Full name"), validators=[Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)], render_kw={"type": "tel"})
    id_number = StringField(
        _l("ID number (CCCD)"),
        validators=[Optional(), Regexp(r"^\d{12}$", message=_l("The ID number has 12 digits."))],
        render_kw={"inputmode": "numeric"},
    )
    date_of_birth = DateField(
        _l("Date of birth"), format=DATE_FORMATS, validators=[Optional()], invalid_value_message=BAD_DATE
    )
    address = StringField(_l("Address"), validators=[Length(max=300)])


class ErasureForm(RequestForm):
    confirm_code = StringField(
        _l("Type the client code to confirm"), validators=[InputRequired(message=REQUIRED), Length(max=16)]
    )
