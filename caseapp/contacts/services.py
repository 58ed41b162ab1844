"""Writes to contacts: log one (linked to a client or anonymous), close a follow-up, audit a view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from caseapp.clients.models import Client
from caseapp.contacts.client_rules import check_client_can_be_served
from caseapp.contacts.dates import earliest_plausible
from caseapp.contacts.models import Channel, Contact, Topic
from caseapp.core import audit
from caseapp.core.access import CASEWORK_ROLES, Role, ward_codes_of
from caseapp.core.clock import hanoi_today
from caseapp.extensions import db
from caseapp.users.models import User

MAX_NOTES_LENGTH = 2000
MAX_DURATION_MINUTES = 600
# a follow-up planned further ahead than this is a typo, not a plan
MAX_FOLLOW_UP_DAYS = 366


class ContactRefused(ValueError):
    """A contact that breaks a rule; nothing was written."""


class ContactDateInFuture(ContactRefused):
    """A contact cannot be dated after today."""


class ContactDateTooOld(ContactRefused):
    """A contact dated before last year is almost certainly a typo."""


class FollowUpBeforeContact(ContactRefused):
    """The next follow-up cannot come before the contact itself."""


class FollowUpTooFar(ContactRefused):
    """A follow-up more than a year ahead is a typo."""


class FollowUpNeedsClient(ContactRefused):
    """An anonymous contact links nobody, so there is nobody to follow up."""


class UnknownChannel(ContactRefused):
    """Not one of the contact channels."""


class UnknownTopic(ContactRefused):
    """Not one of the contact topics."""


class WardNotAllowed(ContactRefused):
    """The ward is not one of the actor's wards."""


class InvalidDuration(ContactRefused):
    """A duration outside 1 minute to 10 hours."""


class NotesTooLong(ContactRefused):
    """Notes longer than MAX_NOTES_LENGTH characters."""


def _check_contact(
    *,
    actor: User,
    ward_code: int,
    contact_date: dt.date,
    channel: str,
    topics: Sequence[str],
    duration_minutes: int | None,
    notes: str | None,
    next_follow_up_on: dt.date | None,
    client: Client | None,
    today: dt.date,
) -> None:
    if Role(actor.role) not in CASEWORK_ROLES or ward_code not in ward_codes_of(actor):
        raise WardNotAllowed(str(ward_code))
    if contact_date > today:
        raise ContactDateInFuture(contact_date.isoformat())
    if contact_date < earliest_plausible(today):
        raise ContactDateTooOld(contact_date.isoformat())
    if channel not in set(Channel):
        raise UnknownChannel(channel)
    if any(topic not in set(Topic) for topic in topics):
        raise UnknownTopic(",".join(t for t in topics if t not in set(Topic)))
    if duration_minutes is not None and not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise InvalidDuration(str(duration_minutes))
    if notes is not None and len(notes) > MAX_NOTES_LENGTH:
        raise NotesTooLong(str(len(notes)))
    if next_follow_up_on is not None:
        if client is None:
            raise FollowUpNeedsClient()
        if next_follow_up_on < contact_date:
            raise FollowUpBeforeContact(next_follow_up_on.isoformat())
        if next_follow_up_on > today + dt.timedelta(days=MAX_FOLLOW_UP_DAYS):
            raise FollowUpTooFar(next_follow_up_on.isoformat())
    if client is not None:
        check_client_can_be_served(client, actor)


def log_contact(
    *,
    actor: User,
    ward_code: int,
    contact_date: dt.date,
    channel: str,
    topics: Sequence[str] = (),
    duration_minutes: int | None = None,
    notes: str | None = None,
    next_follow_up_on: dt.date | None = None,
    client: Client | None = None,
    today: dt.date | None = None,
) -> Contact:
    """Record one contact; anonymous when `client` is None (counted, nobody linked)."""
    notes = (notes or "").strip() or None
    _check_contact(
        actor=actor,
        ward_code=ward_code,
        contact_date=contact_date,
        channel=channel,
        topics=topics,
        duration_minutes=duration_minutes,
        notes=notes,
        next_follow_up_on=next_follow_up_on,
        client=client,
        today=today or hanoi_today(),
    )
    contact = Contact(
        client_id=client.id if client is not None else None,
        ward_code=ward_code,
        worker_id=actor.id,
        contact_date=contact_date,
        channel=channel,
        topics=sorted(set(topics), key=list(Topic).index),
        duration_minutes=duration_minutes,
        notes=notes,
        next_follow_up_on=next_follow_up_on,
        follow_up_done=False,
    )
    closed = _close_earlier_follow_ups(client, contact_date) if client is not None else 0
    db.session.add(contact)
    db.session.flush()
    audit.record(
        "contact.created",
        user_id=actor.id,
        entity_type="contact",
        entity_id=contact.id,
        ward_code=ward_code,
        fields=[name for name in _FIELDS if getattr(contact, name) not in (None, [], "")],
        details={"anonymous": client is None, "follow_ups_closed": closed},
    )
    db.session.commit()
    return contact


_FIELDS = (
    "client_id",
    "ward_code",
    "contact_date",
    "channel",
    "topics",
    "duration_minutes",
    "notes",
    "next_follow_up_on",
)


def _close_earlier_follow_ups(client: Client, contact_date: dt.date) -> int:
    # meeting the person is the follow-up: earlier plans due by this contact's date are done
    pending = db.session.scalars(
        select(Contact).where(
            Contact.client_id == client.id,
            Contact.follow_up_done.is_(False),
            Contact.next_follow_up_on <= contact_date,
        )
    ).all()
    for earlier in pending:
        earlier.follow_up_done = True
    return len(pending)


def mark_follow_up_done(*, contact: Contact, actor: User) -> bool:
    """Close the contact's follow-up; False (and nothing written) if there was none open."""
    if contact.next_follow_up_on is None or contact.follow_up_done:
        return False
    if Role(actor.role) not in CASEWORK_ROLES or contact.ward_code not in ward_codes_of(actor):
        raise WardNotAllowed(str(contact.ward_code))
    contact.follow_up_done = True
    audit.record(
        "contact.follow_up_done",
        user_id=actor.id,
        entity_type="contact",
        entity_id=contact.id,
        ward_code=contact.ward_code,
        fields=["follow_up_done"],
    )
    db.session.commit()
    return True


def record_contact_view(*, contact: Contact, actor: User) -> None:
    """Audit that `actor` opened a contact's notes (personal data)."""
    audit.record(
        "contact.viewed",
        user_id=actor.id,
        entity_type="contact",
        entity_id=contact.id,
        ward_code=contact.ward_code,
        details={"client_id": str(contact.client_id) if contact.client_id else None},
    )
    db.session.commit()
