"""Writes to referrals: refer a client, then move the referral along its statuses, keeping every change."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm.exc import StaleDataError

from caseapp.clients.models import Client, ServiceCategory
from caseapp.contacts.client_rules import check_client_can_be_served
from caseapp.contacts.dates import earliest_plausible
from caseapp.core import audit
from caseapp.core.access import CASEWORK_ROLES, Role, ward_codes_of
from caseapp.core.clock import hanoi_today
from caseapp.extensions import db
from caseapp.providers.models import Provider
from caseapp.providers.queries import provider_offers
from caseapp.referrals.models import TRANSITIONS, Referral, ReferralEvent, ReferralStatus
from caseapp.users.models import User

MAX_NOTES_LENGTH = 2000


class ReferralRefused(ValueError):
    """A referral or status change that breaks a rule; nothing was written."""


class UnknownCategory(ReferralRefused):
    """Not one of the six service categories."""


class ProviderNotOffering(ReferralRefused):
    """The provider is inactive, does not offer the category, or does not serve the client's ward."""


class ReferralDateInFuture(ReferralRefused):
    """A referral or status change cannot be dated after today."""


class ReferralDateTooOld(ReferralRefused):
    """A referral dated before last year is almost certainly a typo."""


class NotesTooLong(ReferralRefused):
    """Notes longer than MAX_NOTES_LENGTH characters."""


class ReferralOutOfScope(ReferralRefused):
    """The referral is not in one of the actor's wards."""


class UnknownStatus(ReferralRefused):
    """Not one of the referral statuses."""


class InvalidTransition(ReferralRefused):
    """The referral cannot go from its current status to the one asked for."""

    def __init__(self, current: str, wanted: str) -> None:
        self.current = current
        self.wanted = wanted
        super().__init__(f"{current} -> {wanted}")


class StatusDateBeforeReferral(ReferralRefused):
    """A status change cannot come before the referral itself."""


class StatusDateBeforePrevious(ReferralRefused):
    """A status change cannot come before the previous one: the history stays in order."""


class StaleReferral(ReferralRefused):
    """Someone else changed the referral since it was loaded; reload and try again."""


def refer_client(
    *,
    actor: User,
    client: Client,
    category: str,
    provider: Provider | None,
    referred_on: dt.date,
    notes: str | None = None,
    today: dt.date | None = None,
) -> Referral:
    """Refer a client to a service (optionally a listed provider); the first event of its history."""
    today = today or hanoi_today()
    notes = (notes or "").strip() or None
    check_client_can_be_served(client, actor)
    if category not in set(ServiceCategory):
        raise UnknownCategory(category)
    if provider is not None and not provider_offers(provider, category=category, ward_code=client.ward_code):
        raise ProviderNotOffering(str(provider.id))
    _check_date(referred_on, today)
    if notes is not None and len(notes) > MAX_NOTES_LENGTH:
        raise NotesTooLong(str(len(notes)))
    referral = Referral(
        client_id=client.id,
        ward_code=client.ward_code,
        category=category,
        provider_id=provider.id if provider else None,
        referred_on=referred_on,
        status=ReferralStatus.REFERRED.value,
        status_changed_on=referred_on,
        notes=notes,
        created_by=actor.id,
    )
    referral.events.append(
        ReferralEvent(status=ReferralStatus.REFERRED.value, occurred_on=referred_on, user_id=actor.id)
    )
    db.session.add(referral)
    db.session.flush()
    audit.record(
        "referral.created",
        user_id=actor.id,
        entity_type="referral",
        entity_id=referral.id,
        ward_code=referral.ward_code,
        fields=[
            f
            for f in ("client_id", "category", "provider_id", "referred_on", "notes")
            if getattr(referral, f)
        ],
        details={"client_id": str(client.id)},
    )
    db.session.commit()
    return referral


def _check_date(day: dt.date, today: dt.date) -> None:
    if day > today:
        raise ReferralDateInFuture(day.isoformat())
    if day < earliest_plausible(today):
        raise ReferralDateTooOld(day.isoformat())


def _check_change(referral: Referral, actor: User, status: str, occurred_on: dt.date, today: dt.date) -> None:
    if Role(actor.role) not in CASEWORK_ROLES or referral.ward_code not in ward_codes_of(actor):
        raise ReferralOutOfScope(str(referral.id))
    if status not in set(ReferralStatus):
        raise UnknownStatus(status)
    if ReferralStatus(status) not in TRANSITIONS[ReferralStatus(referral.status)]:
        raise InvalidTransition(referral.status, status)
    if occurred_on > today:
        raise ReferralDateInFuture(occurred_on.isoformat())
    if occurred_on < referral.referred_on:
        raise StatusDateBeforeReferral(occurred_on.isoformat())
    if occurred_on < referral.status_changed_on:
        raise StatusDateBeforePrevious(occurred_on.isoformat())


def change_status(
    *,
    actor: User,
    referral: Referral,
    status: str,
    occurred_on: dt.date,
    expected_version: int,
    today: dt.date | None = None,
) -> Referral:
    """Move a referral to `status` on `occurred_on`; refused if anyone changed it since `expected_version`."""
    if referral.version != expected_version:
        raise StaleReferral(str(referral.id))
    _check_change(referral, actor, status, occurred_on, today or hanoi_today())
    previous = referral.status
    referral.status = status
    referral.status_changed_on = occurred_on
    if status == ReferralStatus.RECEIVED.value:
        referral.received_on = occurred_on  # the service-access indicator counts this date
    referral.events.append(ReferralEvent(status=status, occurred_on=occurred_on, user_id=actor.id))
    try:
        db.session.flush()
    except StaleDataError:
        # the version column caught a concurrent save between our read and our write
        db.session.rollback()
        raise StaleReferral(str(referral.id)) from None
    audit.record(
        "referral.status_changed",
        user_id=actor.id,
        entity_type="referral",
        entity_id=referral.id,
        ward_code=referral.ward_code,
        fields=["status", "status_changed_on"] + (["received_on"] if status == "received" else []),
        details={"from": previous, "to": status},
    )
    db.session.commit()
    return referral


def record_referral_view(*, referral: Referral, actor: User) -> None:
    """Audit that `actor` opened a referral's page (its notes are personal data)."""
    audit.record(
        "referral.viewed",
        user_id=actor.id,
        entity_type="referral",
        entity_id=referral.id,
        ward_code=referral.ward_code,
        details={"client_id": str(referral.client_id)},
    )
    db.session.commit()
