"""Readable names for audit actions; an action without a label is shown by its code."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

ACTION_LABELS: dict[str, Any] = {
    "client.viewed": _l("Opened the client's personal data"),
    "client.listed": _l("Saw the client in a list"),
    "client.searched": _l("Searched by phone or ID number"),
    "client.registered": _l("Registered the client"),
    "client.updated": _l("Changed the client's record"),
    "client.reassigned": _l("Reassigned the client"),
    "client.closed": _l("Closed the case"),
    "consent.withdrawn": _l("Recorded the withdrawal of consent"),
    "contact.created": _l("Logged a contact"),
    "contact.viewed": _l("Opened a contact"),
    "contact.follow_up_done": _l("Marked a follow-up done"),
    "referral.created": _l("Made a referral"),
    "referral.viewed": _l("Opened a referral"),
    "referral.status_changed": _l("Changed a referral's status"),
    "privacy.access_copy": _l("Gave the person a copy of their data"),
    "privacy.restricted": _l("Restricted processing"),
    "privacy.restriction_lifted": _l("Lifted the restriction"),
    "privacy.erased": _l("Erased the personal data"),
    "activity.created": _l("Recorded an activity"),
    "activity.updated": _l("Changed an activity"),
    "activity.deleted": _l("Deleted an activity"),
    "crypto.decrypt_failed": _l("A stored value could not be decrypted"),
}

ENTITY_LABELS: dict[str, Any] = {
    "client": _l("Client"),
    "contact": _l("Contact"),
    "referral": _l("Referral"),
    "need": _l("Need"),
    "consent": _l("Consent"),
    "activity": _l("Activity"),
}


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def entity_label(code: str | None) -> str:
    if code is None:
        return ""
    label = ENTITY_LABELS.get(code)
    return str(label) if label is not None else code


# details that are safe and useful to show; others (such as the ids of every client in a list) are not shown
SHOWN_DETAILS = ("page", "by", "results", "kind", "reason", "stage", "scope", "source", "client_code")


def detail_text(details: dict[str, Any] | None) -> str:
    """The fields touched and a few plain facts of an event, as one line."""
    details = details or {}
    parts = [", ".join(details.get("fields", []))] if details.get("fields") else []
    parts += [f"{key}: {details[key]}" for key in SHOWN_DETAILS if details.get(key) not in (None, "")]
    return "; ".join(parts)
