"""The base form: CSRF from Flask-WTF, and helpers shared by every feature's forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField as WTFormsIntegerField
from wtforms.fields.choices import SelectChoice

# longer than any count the app takes; WTForms' NumberRange turns a longer number into a float and crashes
MAX_INTEGER_DIGITS = 15

# the messages every form uses, worded once
REQUIRED = _l("This field is required.")
BAD_DATE = _l("Enter a valid date (dd/mm/yyyy).")
BAD_CHOICE = _l("Choose one of the options shown.")
BAD_NUMBER = _l("Enter a whole number.")
TOO_LONG = _l("At most %(max)d characters.")
# the browser's date input sends ISO dates; a phone without one may send what the worker typed
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class BaseForm(FlaskForm):
    """Every form carries a CSRF token; services, not forms, hold the business rules."""


def choices(pairs: Iterable[tuple[object, Any]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs; WTForms 3.3 deprecates bare tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


class IntegerField(WTFormsIntegerField):
    """WTForms' IntegerField, refusing absurdly long numbers as invalid input instead of crashing.

    `NumberRange` calls math.isnan() on the value, which raises OverflowError for integers beyond a float's
    range (a 310-digit number, found by the form fuzz test): a 500 instead of "enter a number".
    """

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-")) > MAX_INTEGER_DIGITS:
            raise ValueError(self.invalid_value_message or _l("Enter a whole number."))
        super().process_formdata(valuelist)
