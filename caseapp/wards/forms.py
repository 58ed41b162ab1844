"""Forms for setting a ward's cohort and importing cohorts from CSV."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField

from caseapp.core.forms import BaseForm, choices

COHORT_CHOICES = choices([("", _l("Not in the programme")), ("2025", "2025"), ("2026", "2026")])


class WardCohortForm(BaseForm):
    cohort = SelectField(_l("Programme cohort"), choices=COHORT_CHOICES)
    active = BooleanField(_l("Active"))


class CohortImportForm(BaseForm):
    file = FileField(_l("CSV file (columns: code,cohort)"), validators=[FileRequired()])
