"""The copy of a client's own data given to the person: one self-contained HTML file, in Vietnamese.

HTML rather than PDF so it opens on any phone and needs no extra library; it loads nothing from anywhere.
It holds what the programme stores about the person, and no staff names or other people's data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caseapp.clients.models import Client, Consent, Need
from caseapp.contacts.models import Contact
from caseapp.extensions import db
from caseapp.privacy import clock
from caseapp.privacy.models import DataSubjectRequest
from caseapp.referrals.models import Referral
from caseapp.wards.models import Ward


@dataclass(frozen=True)
class SubjectCopy:
    """Everything stored about one client, read for the copy."""

    client: Client
    ward: Ward | None
    consents: list[Consent]
    needs: list[Need]
    contacts: list[Contact]
    referrals: list[Referral]
    requests: list[DataSubjectRequest]
    made_on: dt.date


def _all(stmt):  # type: ignore[no-untyped-def]
    return list(db.session.scalars(stmt))


def gather(client: Client) -> SubjectCopy:
    """The client's records of every kind, linked by client id (the client itself was loaded in scope)."""
    return SubjectCopy(
        client=client,
        ward=db.session.get(Ward, client.ward_code),
        consents=_all(select(Consent).where(Consent.client_id == client.id).order_by(Consent.given_on)),
        needs=_all(select(Need).where(Need.client_id == client.id).order_by(Need.identified_on)),
        contacts=_all(select(Contact).where(Contact.client_id == client.id).order_by(Contact.contact_date)),
        referrals=_all(
            select(Referral)
            .where(Referral.client_id == client.id)
            .options(selectinload(Referral.events), selectinload(Referral.provider))
            .order_by(Referral.referred_on)
        ),
        requests=_all(
            select(DataSubjectRequest)
            .where(DataSubjectRequest.client_id == client.id)
            .order_by(DataSubjectRequest.created_at)
        ),
        made_on=clock.hanoi_today(),
    )


def render_copy(client: Client) -> bytes:
    """The HTML file for the person, always in Vietnamese whatever language the supervisor uses."""
    from caseapp.contacts.labels import channel_label, topic_label
    from caseapp.privacy.labels import consent_label, request_label, sex_label
    from caseapp.referrals.labels import status_label

    with force_locale("vi"):
        html = render_template(
            "privacy/subject_copy.html",
            copy=gather(client),
            channel_label=channel_label,
            topic_label=topic_label,
            status_label=status_label,
            request_label=request_label,
            sex_label=sex_label,
            consent_label=consent_label,
        )
    return html.encode("utf-8")


def filename_for(client: Client) -> str:
    return f"du-lieu-ca-nhan-{client.code}.html"
