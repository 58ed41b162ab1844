"""Contacts: log one from the field (for a client, by client code, or anonymously), list, follow up."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from caseapp.auth.views import safe_next
from caseapp.clients.models import Client
from caseapp.clients.queries import find_client_by_code, get_client_or_404
from caseapp.contacts import client_rules, queries, services
from caseapp.contacts.forms import ConfirmForm, ContactForm
from caseapp.contacts.labels import channel_label, topic_label
from caseapp.contacts.models import Channel
from caseapp.core.access import Role, allow
from caseapp.core.clock import hanoi_today
from caseapp.core.nav import add_nav_entry
from caseapp.core.web import Shortlist
from caseapp.wards.queries import visible_wards

bp = Blueprint("contacts", __name__, template_folder="templates")
add_nav_entry("contacts.index", _l("Contacts"), 30)
CASEWORK = (Role.WORKER, Role.SUPERVISOR)

# which form field a refused contact's message belongs to (None: shown above the form)
REFUSALS: dict[type[Exception], tuple[str | None, object]] = {
    services.ContactDateInFuture: ("contact_date", _l("The date cannot be in the future.")),
    services.ContactDateTooOld: ("contact_date", _l("The date is too far in the past; check the year.")),
    services.FollowUpBeforeContact: ("next_follow_up_on", _l("The follow-up cannot be before the contact.")),
    services.FollowUpTooFar: ("next_follow_up_on", _l("The follow-up must be within a year.")),
    services.FollowUpNeedsClient: ("next_follow_up_on", _l("An anonymous contact has nobody to follow up.")),
    services.UnknownChannel: ("channel", _l("Choose one of the options shown.")),
    services.UnknownTopic: ("topics", _l("Choose one of the options shown.")),
    services.WardNotAllowed: ("ward", _l("Choose one of your wards.")),
    services.InvalidDuration: ("duration_minutes", _l("Between 1 and 600 minutes.")),
    services.NotesTooLong: ("notes", _l("The notes are too long.")),
    client_rules.ClientOutOfScope: (None, _l("This client is not in your wards.")),
    client_rules.ClientClosed: (None, _l("This case is closed: it takes no new contacts. Reopen it first.")),
    client_rules.ClientRestricted: (None, _l("This record is restricted: nothing new can be linked to it.")),
    client_rules.ConsentNotInForce: (
        None,
        _l("This client has no consent in force: log the contact anonymously instead."),
    ),
}


@bp.app_template_global()
def contacts_of_client(client: Client) -> list[object]:
    """For the client page (clients/detail.html includes contacts/_client_section.html)."""
    return list(queries.contacts_of_client(current_user, client))


@bp.app_template_global()
def contact_follow_ups(user: object) -> Shortlist:
    """For the caseload page (it includes contacts/_caseload_followups.html): the most urgent first."""
    return Shortlist.of(queries.follow_ups_due(user, limit=Shortlist.SHOWN + 1))


@bp.app_context_processor
def labels() -> dict[str, object]:
    return {"channel_label": channel_label, "topic_label": topic_label, "hanoi_today": hanoi_today}


@bp.app_template_global("client_url")
def client_page_url(client_id: uuid.UUID) -> str:
    """The client's page (owned by the clients feature), for links from contacts and referrals."""
    return url_for("clients.detail", client_id=client_id)


def _form(*, client: Client | None, picker: bool, anonymous: bool) -> ContactForm:
    form = ContactForm()
    wards = visible_wards(current_user)
    form.set_wards(wards)
    if not picker:
        del form.client_code
    if anonymous:
        del form.next_follow_up_on
    if not form.is_submitted():
        form.contact_date.data = hanoi_today()
        codes = [w.code for w in wards]
        form.ward.data = (
            client.ward_code
            if client and client.ward_code in codes
            else (codes[0] if len(codes) == 1 else None)
        )
        form.channel.data = Channel.OUTREACH.value if anonymous else None
    return form


def _save(form: ContactForm, client: Client | None) -> bool:
    """Call the service; on a refusal put its message on the form and return False."""
    follow_up = getattr(form, "next_follow_up_on", None)
    try:
        services.log_contact(
            actor=current_user,
            client=client,
            ward_code=form.ward.data,
            contact_date=form.contact_date.data,
            channel=form.channel.data or "",
            topics=form.topics.data or [],
            duration_minutes=form.duration_minutes.data,
            notes=form.notes.data,
            next_follow_up_on=follow_up.data if follow_up is not None else None,
        )
    except (services.ContactRefused, client_rules.ClientRefused) as exc:
        field, message = REFUSALS[type(exc)]
        if field is None:
            flash(str(message), "error")
        else:
            getattr(form, field).errors.append(str(message))
        return False
    return True


@bp.route("/contacts/")
@allow(*CASEWORK, scoped=True)
def index() -> str:
    contacts = queries.recent_contacts(current_user)
    return render_template("contacts/index.html", contacts=contacts, confirm=ConfirmForm())


@bp.route("/contacts/anonymous", methods=["GET", "POST"])
@allow(*CASEWORK, scoped=True)
def new_anonymous() -> str | Response:
    form = _form(client=None, picker=False, anonymous=True)
    if form.validate_on_submit() and _save(form, None):
        flash(_("Anonymous contact saved."), "success")
        return redirect(url_for("contacts.index"))
    return render_template("contacts/form.html", form=form, client=None, anonymous=True)


@bp.route("/contacts/new", methods=["GET", "POST"])
@allow(*CASEWORK, scoped=True)
def new() -> str | Response:
    form = _form(client=None, picker=True, anonymous=False)
    if form.validate_on_submit():
        client = find_client_by_code(current_user, form.client_code.data or "")
        if client is None:
            form.client_code.errors.append(_("No client with this code in your wards."))
        elif _save(form, client):
            flash(_("Contact saved."), "success")
            return redirect(client_page_url(client.id))
    return render_template("contacts/form.html", form=form, client=None, anonymous=False)


@bp.route("/clients/<uuid:client_id>/contacts/new", methods=["GET", "POST"])
@allow(*CASEWORK, scoped=True)
def new_for_client(client_id: uuid.UUID) -> str | Response:
    client = get_client_or_404(current_user, client_id)
    form = _form(client=client, picker=False, anonymous=False)
    if form.validate_on_submit() and _save(form, client):
        flash(_("Contact saved."), "success")
        return redirect(client_page_url(client.id))
    return render_template("contacts/form.html", form=form, client=client, anonymous=False)


@bp.route("/contacts/<uuid:contact_id>")
@allow(*CASEWORK, scoped=True)
def detail(contact_id: uuid.UUID) -> str:
    contact = queries.get_contact_or_404(current_user, contact_id)
    services.record_contact_view(contact=contact, actor=current_user)
    return render_template("contacts/detail.html", contact=contact, confirm=ConfirmForm())


@bp.route("/contacts/<uuid:contact_id>/follow-up-done", methods=["POST"])
@allow(*CASEWORK, scoped=True)
def follow_up_done(contact_id: uuid.UUID) -> Response:
    contact = queries.get_contact_or_404(current_user, contact_id)
    if ConfirmForm().validate_on_submit() and services.mark_follow_up_done(
        contact=contact, actor=current_user
    ):
        flash(_("Follow-up marked as done."), "success")
    return redirect(safe_next(request.form.get("next")))
