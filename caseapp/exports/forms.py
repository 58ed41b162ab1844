"""The export form: which month, which format, which threshold (checked again by the service)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import InputRequired, NumberRange

from caseapp.core.forms import BaseForm, IntegerField, choices
from caseapp.exports.service import FIRST_YEAR
from caseapp.exports.suppression import DEFAULT_K, MIN_K


def month_choices(today: dt.date) -> list[tuple[str, str]]:
    """Every month from the programme's start to this one, newest first (this one is still partial)."""
    months = [
        (y, m)
        for y in range(FIRST_YEAR, today.year + 1)
        for m in range(1, 13)
        if (y, m) <= (today.year, today.month)
    ]
    return [(f"{y:04d}-{m:02d}", f"{m:02d}/{y:04d}") for y, m in reversed(months)]


class ExportForm(BaseForm):
    month = SelectField(_l("Month"), validators=[InputRequired()])
    fmt = SelectField(_l("Format"), choices=choices([("xlsx", "Excel (XLSX)"), ("csv", "CSV (UTF-8)")]))
    threshold = IntegerField(
        _l("Suppression threshold k"),
        default=DEFAULT_K,
        validators=[InputRequired(), NumberRange(min=MIN_K, max=1000, message=_l("At least 5."))],
    )
