"""Translated names of request kinds and sources."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from caseapp.privacy.models import RequestKind, RequestSource

REQUEST_LABELS: dict[str, Any] = {
    RequestKind.ACCESS: _l("Copy of own data"),
    RequestKind.RECTIFICATION: _l("Correction"),
    RequestKind.RESTRICTION: _l("Restriction of processing"),
    RequestKind.RESTRICTION_LIFTED: _l("Restriction lifted"),
    RequestKind.ERASURE: _l("Erasure"),
}

SOURCE_LABELS: dict[str, Any] = {
    RequestSource.PERSON: _l("Request from the person"),
    RequestSource.RETENTION: _l("Retention period ended"),
}


def request_label(code: str) -> str:
    label = REQUEST_LABELS.get(code)
    return str(label) if label is not None else code


def source_label(code: str) -> str:
    label = SOURCE_LABELS.get(code)
    return str(label) if label is not None else code


# the person reads these in their copy; the clients feature shows the same codes to staff
SEX_LABELS: dict[str, Any] = {
    "female": _l("Female"),
    "male": _l("Male"),
    "transgender": _l("Transgender"),
    "other": _l("Other"),
    "unknown": _l("Not stated"),
}

CONSENT_LABELS: dict[str, Any] = {
    "case_management": _l("Case management"),
    "referral": _l("Referral to services"),
    "follow_up_contact": _l("Follow-up contact"),
    "anonymous_statistics": _l("Anonymous statistics"),
    "identity": _l("Identity"),
    "contact_details": _l("Contact details"),
    "health": _l("Health"),
    "case_notes": _l("Case notes"),
}


def sex_label(code: str) -> str:
    label = SEX_LABELS.get(code)
    return str(label) if label is not None else code


def consent_label(code: str) -> str:
    label = CONSENT_LABELS.get(code)
    return str(label) if label is not None else code
