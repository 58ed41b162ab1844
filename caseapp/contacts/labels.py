"""Translated labels for contact channels and topics (the topics include the six service categories)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from caseapp.contacts.models import Channel, Topic

CHANNEL_LABELS: dict[str, Any] = {
    Channel.OUTREACH: _l("Outreach"),
    Channel.OFFICE: _l("At the office"),
    Channel.PHONE: _l("Phone"),
    Channel.ONLINE: _l("Online"),
    Channel.GROUP: _l("Group session"),
}

TOPIC_LABELS: dict[str, Any] = {
    Topic.SOCIAL_ASSISTANCE: _l("Social assistance"),
    Topic.PSYCHOLOGICAL: _l("Psychological support"),
    Topic.LEGAL: _l("Legal aid"),
    Topic.HEALTH: _l("Health care"),
    Topic.VOCATIONAL_TRAINING: _l("Vocational training"),
    Topic.JOB_PLACEMENT: _l("Job placement"),
    Topic.HARM_REDUCTION_HIV: _l("Harm reduction / HIV"),
    Topic.GENDER_BASED_VIOLENCE: _l("Gender-based violence"),
    Topic.RIGHTS_AT_WORK: _l("Rights at work"),
}


def channel_label(code: str) -> str:
    """The translated label of a channel code (the code itself if unknown)."""
    label = CHANNEL_LABELS.get(code)
    return str(label) if label is not None else code


def topic_label(code: str) -> str:
    """The translated label of a topic or service category code (the code itself if unknown)."""
    label = TOPIC_LABELS.get(code)
    return str(label) if label is not None else code
