"""What every new record linked to a client must meet (contacts and referrals alike)."""

from __future__ import annotations

from caseapp.clients.models import Client, ClientStatus
from caseapp.core.access import CASEWORK_ROLES, Role, ward_codes_of
from caseapp.users.models import User


class ClientRefused(ValueError):
    """The client cannot take a new linked record; nothing was written."""


class ClientOutOfScope(ClientRefused):
    """The client is not in one of the actor's wards."""


class ClientClosed(ClientRefused):
    """A closed case takes no new contacts or referrals (reopen it first)."""


class ClientRestricted(ClientRefused):
    """Processing is restricted (a data-subject request) or the record was erased: nothing new is linked."""


class ConsentNotInForce(ClientRefused):
    """Without consent in force nothing new is linked to the person (a contact is logged anonymously)."""


def consent_in_force(client: Client) -> bool:
    """Whether the client has a consent given and not withdrawn."""
    return any(consent.in_force for consent in client.consents)


def check_client_can_be_served(client: Client, actor: User) -> None:
    """In the actor's wards (casework roles only), not restricted, an open case, with consent in force."""
    if Role(actor.role) not in CASEWORK_ROLES or client.ward_code not in ward_codes_of(actor):
        raise ClientOutOfScope(str(client.id))
    if client.restricted or client.erased_at is not None:
        raise ClientRestricted(str(client.id))
    if client.status == ClientStatus.CLOSED.value:
        raise ClientClosed(str(client.id))
    if not consent_in_force(client):
        raise ConsentNotInForce(str(client.id))
