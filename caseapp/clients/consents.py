"""Which consent of a client is in force (reads only; withdrawal is a service)."""

from __future__ import annotations

from caseapp.clients.models import Client, Consent


def consent_in_force(client: Client) -> Consent | None:
    """The client's consent that is given and not withdrawn, if any."""
    return next((c for c in reversed(client.consents) if c.in_force), None)


def latest_consent(client: Client) -> Consent | None:
    """The most recently recorded consent (in force or withdrawn)."""
    return client.consents[-1] if client.consents else None
