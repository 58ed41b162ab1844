"""The period picker of the dashboards (a GET form: the period is in the URL, so a view can be bookmarked)."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import SelectField

from caseapp.core.forms import BaseForm, choices
from caseapp.indicators.periods import Period

FIRST_YEAR = 2025  # the programme's first cohort
FIELDS = ("kind", "year", "month", "quarter")

KIND_CHOICES = choices(
    [
        ("ytd", _l("Year to date")),
        ("month", _l("Month")),
        ("quarter", _l("Quarter")),
        ("year", _l("Whole year")),
    ]
)


class PeriodForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET form

    kind = SelectField(_l("Period"), choices=KIND_CHOICES, default="ytd")
    year = SelectField(_l("Year"), coerce=int)
    month = SelectField(_l("Month"), coerce=int, choices=choices((m, str(m)) for m in range(1, 13)))
    quarter = SelectField(_l("Quarter"), coerce=int, choices=choices((q, str(q)) for q in range(1, 5)))


def period_form(args: MultiDict[str, str], today: dt.date) -> tuple[PeriodForm, Period]:
    """The form filled from the query string, and the period it names (year to date if it names none)."""
    chosen = any(name in args for name in FIELDS)
    form = _form(args if chosen else None, today)
    if chosen and form.validate():
        kind, year = form.kind.data, int(form.year.data)
        return form, _period(kind, year, int(form.month.data), int(form.quarter.data), today)
    return (_form(None, today) if chosen else form), Period.ytd(today)


def _form(formdata: MultiDict[str, str] | None, today: dt.date) -> PeriodForm:
    defaults = {
        "kind": "ytd",
        "year": today.year,
        "month": today.month,
        "quarter": (today.month - 1) // 3 + 1,
    }
    form = PeriodForm(formdata=formdata, data=defaults)
    form.year.choices = choices((y, str(y)) for y in range(today.year, FIRST_YEAR - 1, -1))
    return form


def _period(kind: str | None, year: int, month: int, quarter: int, today: dt.date) -> Period:
    if kind == "month":
        return Period.month(year, month)
    if kind == "quarter":
        return Period.quarter(year, quarter)
    if kind == "year":
        return Period.full_year(year)
    return Period.ytd(today if year == today.year else dt.date(year, 12, 31))


def describe(period: Period) -> str:
    """The period in words, e.g. "Tháng 3/2026", "Quý 1/2026", "01/01/2026 – 28/11/2026"."""
    if period.kind == "month":
        return _("Month %(month)s/%(year)s", month=period.start.month, year=period.year)
    if period.kind == "quarter":
        return _("Quarter %(quarter)s/%(year)s", quarter=period.quarter_number, year=period.year)
    if period.kind == "year":
        return _("Year %(year)s", year=period.year)
    return f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}"
