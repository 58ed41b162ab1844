"""Translated labels of the codes stored on clients, consents and needs (stable codes, translated labels)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from caseapp.clients.models import (
    ClientStatus,
    CloseReason,
    ConsentPurpose,
    DataCategory,
    ServiceCategory,
    Sex,
)

CATEGORY_LABELS: Mapping[str, Any] = {
    ServiceCategory.SOCIAL_ASSISTANCE: _l("Social assistance"),
    ServiceCategory.PSYCHOLOGICAL: _l("Psychological support"),
    ServiceCategory.LEGAL: _l("Legal aid"),
    ServiceCategory.HEALTH: _l("Health care"),
    ServiceCategory.VOCATIONAL_TRAINING: _l("Vocational training"),
    ServiceCategory.JOB_PLACEMENT: _l("Job placement"),
}
SEX_LABELS: Mapping[str, Any] = {
    Sex.FEMALE: _l("Female"),
    Sex.MALE: _l("Male"),
    Sex.TRANSGENDER: _l("Transgender"),
    Sex.OTHER: _l("Other"),
    Sex.UNKNOWN: _l("Not stated"),
}
STATUS_LABELS: Mapping[str, Any] = {ClientStatus.ACTIVE: _l("Active"), ClientStatus.CLOSED: _l("Closed")}
CLOSE_REASON_LABELS: Mapping[str, Any] = {
    CloseReason.REINTEGRATED: _l("Reintegrated"),
    CloseReason.MOVED: _l("Moved away"),
    CloseReason.DECLINED: _l("Declined further support"),
    CloseReason.LOST_CONTACT: _l("Lost contact"),
    CloseReason.DECEASED: _l("Deceased"),
}
PURPOSE_LABELS: Mapping[str, Any] = {
    ConsentPurpose.CASE_MANAGEMENT: _l("Case management (support and follow-up by the social worker)"),
    ConsentPurpose.REFERRAL: _l("Referral to service providers"),
    ConsentPurpose.FOLLOW_UP_CONTACT: _l("Being contacted for follow-up"),
    ConsentPurpose.ANONYMOUS_STATISTICS: _l("Anonymous statistics"),
}
DATA_CATEGORY_LABELS: Mapping[str, Any] = {
    DataCategory.IDENTITY: _l("Identity: alias, full name, date of birth, ID number"),
    DataCategory.CONTACT_DETAILS: _l("Contact details: phone, address"),
    DataCategory.HEALTH: _l("Health information"),
    DataCategory.CASE_NOTES: _l("Case notes"),
}
FIELD_LABELS: Mapping[str, Any] = {
    "alias": _l("Alias"),
    "full_name": _l("Full name"),
    "phone": _l("Phone"),
    "id_number": _l("ID number (CCCD)"),
    "date_of_birth": _l("Date of birth"),
    "address": _l("Address"),
    "notes": _l("Notes"),
}


def label(labels: Mapping[str, Any], code: str | None) -> str:
    """The translated label of a code; the code itself if unknown, empty for None."""
    if code is None:
        return ""
    found = labels.get(code)
    return str(found) if found is not None else code


class ClientLabels:
    """Label functions for the clients templates, under one name no other feature's context shadows."""

    category = staticmethod(lambda code: label(CATEGORY_LABELS, code))
    sex = staticmethod(lambda code: label(SEX_LABELS, code))
    status = staticmethod(lambda code: label(STATUS_LABELS, code))
    close_reason = staticmethod(lambda code: label(CLOSE_REASON_LABELS, code))
    purpose = staticmethod(lambda code: label(PURPOSE_LABELS, code))
    data_category = staticmethod(lambda code: label(DATA_CATEGORY_LABELS, code))
    field = staticmethod(lambda name: label(FIELD_LABELS, name))
