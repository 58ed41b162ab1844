"""Translated labels of the six service categories (stable codes from clients.models.ServiceCategory)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from caseapp.clients.models import ServiceCategory

CATEGORY_LABELS: dict[str, Any] = {
    ServiceCategory.SOCIAL_ASSISTANCE: _l("Social assistance"),
    ServiceCategory.PSYCHOLOGICAL: _l("Psychological support"),
    ServiceCategory.LEGAL: _l("Legal aid"),
    ServiceCategory.HEALTH: _l("Health care"),
    ServiceCategory.VOCATIONAL_TRAINING: _l("Vocational training"),
    ServiceCategory.JOB_PLACEMENT: _l("Job placement"),
}


def category_label(code: str) -> str:
    """The translated label of a service category (the code itself if unknown)."""
    label = CATEGORY_LABELS.get(code)
    return str(label) if label is not None else code
