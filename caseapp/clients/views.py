"""Clients: register with consent, the client page, edit, needs, consent withdrawal, search, caseload."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from caseapp.clients import errors, needs, queries, services, supervision
from caseapp.clients.caseload import caseload_page, optional_url
from caseapp.clients.consents import consent_in_force, latest_consent
from caseapp.clients.forms import (
    CloseForm,
    EditClientForm,
    LookupForm,
    NeedForm,
    ReassignForm,
    RegisterForm,
    ReopenForm,
    WithdrawConsentForm,
    yes_no_value,
)
from caseapp.clients.labels import ClientLabels
from caseapp.clients.messages import message, show_refusal
from caseapp.clients.models import Client, Need
from caseapp.core.access import ALL_ROLES, Role, allow
from caseapp.core.clock import hanoi_today
from caseapp.core.nav import add_nav_entry
from caseapp.wards.queries import visible_wards

bp = Blueprint("clients", __name__, url_prefix="/clients", template_folder="templates")
add_nav_entry("clients.caseload", _l("Caseload"), 20)
CASEWORK = (Role.WORKER, Role.SUPERVISOR)


def _page(template: str, **context: object) -> str:
    today_iso = hanoi_today().isoformat()
    return render_template(template, client_labels=ClientLabels, today_iso=today_iso, **context)


@bp.route("/")
@allow(*CASEWORK, scoped=True)
def caseload() -> str:
    return caseload_page(current_user, page=request.args.get("page", 1, type=int) or 1)


@bp.route("/find")
@allow(*CASEWORK, scoped=True)
def find() -> Response:
    client = queries.find_client_by_code(current_user, request.args.get("code", ""))
    if client is None:
        flash(_("No client with this code in your wards."), "error")
        return redirect(url_for("clients.caseload"))
    return redirect(url_for("clients.detail", client_id=client.id))


@bp.route("/lookup", methods=["POST"])
@allow(*CASEWORK, scoped=True)
def lookup() -> str:
    form = LookupForm()
    rows: list[queries.ClientRow] | None = None
    if form.validate_on_submit():
        rows = [
            queries.ClientRow.of(c) for c in queries.find_by_phone_or_id(current_user, form.value.data or "")
        ]
        services.record_list_view(client_ids=[r.id for r in rows], actor=current_user, kind="phone_or_id")
    form.value.data = ""  # the searched number is not echoed back onto a shared screen
    return _page(
        "clients/lookup.html", form=form, rows=rows, ward_names={w.code: w.name for w in current_user.wards}
    )


@bp.route("/new", methods=["GET", "POST"])
@allow(*CASEWORK, scoped=True)
def register() -> str | Response:
    form = RegisterForm()
    form.set_wards(visible_wards(current_user, programme_only=True))
    if not form.is_submitted():
        form.consent_date.data = hanoi_today()
    duplicates: tuple[str, ...] = ()
    if form.validate_on_submit():
        try:
            client = services.register_client(
                actor=current_user,
                ward_code=form.ward.data,
                details=form.details(),
                consent=form.consent_terms(),
                allow_duplicate=bool(form.confirm_duplicate.data),
            )
        except errors.PossibleDuplicate as exc:
            duplicates = exc.codes
        except errors.ClientRefused as exc:
            _refuse_registration(form, exc)
        else:
            flash(_("Client %(code)s registered.", code=client.code), "success")
            return redirect(url_for("clients.detail", client_id=client.id))
    return _page(
        "clients/register.html",
        form=form,
        duplicates=duplicates,
        anonymous_contact_url=optional_url("contacts.new_anonymous"),
    )


def _refuse_registration(form: RegisterForm, exc: errors.ClientRefused) -> None:
    if not form.consent_given.data and isinstance(
        exc, errors.PersonalDataWithoutConsent | errors.ConsentRequired
    ):
        # no consent at all: the answer is an anonymous contact, not a list of fields to empty
        exc = errors.ConsentRequired()
    show_refusal(form, exc)


@bp.route("/<uuid:client_id>")
@allow(*ALL_ROLES, scoped=True)
def detail(client_id: uuid.UUID) -> str:
    client = queries.get_client_or_404(current_user, client_id)
    if client.erased_at is None:
        services.record_client_view(client=client, actor=current_user)
    return _page("clients/detail.html", **_detail_context(client))


def _detail_context(client: Client) -> dict[str, object]:
    ids = [client.worker_id, *(c.recorded_by for c in client.consents)]
    ids += [c.withdrawal_recorded_by for c in client.consents] + [n.recorded_by for n in client.needs]
    version = {"version": client.version}
    supervising = current_user.role == Role.SUPERVISOR.value
    reassign = ReassignForm(formdata=None, data=version)
    if supervising:
        reassign.set_workers(w for w in queries.workers_of_ward(client.ward_code) if w.id != client.worker_id)
    return {
        "client": client,
        "consent": consent_in_force(client),
        "last_consent": latest_consent(client),
        "names": queries.staff_names(ids),
        "ward_name": next(
            (w.name for w in current_user.wards if w.code == client.ward_code), client.ward_code
        ),
        "withdraw_form": WithdrawConsentForm(formdata=None, data={"withdrawn_on": hanoi_today()}),
        "reassign_form": reassign,
        "close_form": CloseForm(formdata=None, data={**version, "closed_on": hanoi_today()}),
        "reopen_form": ReopenForm(formdata=None, data=version),
        "is_supervisor": supervising,
    }


@bp.route("/<uuid:client_id>/edit", methods=["GET", "POST"])
@allow(*ALL_ROLES, scoped=True)
def edit(client_id: uuid.UUID) -> str | Response:
    client = queries.get_client_or_404(current_user, client_id)
    form = EditClientForm(data=None if request.method == "POST" else _edit_data(client))
    if form.validate_on_submit():
        try:
            services.update_client(
                client=client, actor=current_user, expected_version=form.version.data, details=form.details()
            )
        except errors.ClientRefused as exc:
            show_refusal(form, exc)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("clients.detail", client_id=client.id))
    elif request.method == "GET" and client.erased_at is None:
        services.record_client_view(client=client, actor=current_user, page="edit")
    return _page("clients/edit.html", form=form, client=client, consent=consent_in_force(client))


def _edit_data(client: Client) -> dict[str, object]:
    data: dict[str, object] = {
        name: getattr(client, name) for name in services.ClientDetails.__dataclass_fields__
    }
    data["migrant"] = yes_no_value(client.migrant)
    data["version"] = client.version
    return data


@bp.route("/<uuid:client_id>/needs/new", methods=["GET", "POST"])
@allow(*ALL_ROLES, scoped=True)
def new_need(client_id: uuid.UUID) -> str | Response:
    client = queries.get_client_or_404(current_user, client_id)
    form = NeedForm(data=None if request.method == "POST" else {"identified_on": hanoi_today()})
    return _save_need(client, form)


@bp.route("/<uuid:client_id>/needs/<uuid:need_id>", methods=["GET", "POST"])
@allow(*ALL_ROLES, scoped=True)
def edit_need(client_id: uuid.UUID, need_id: uuid.UUID) -> str | Response:
    client = queries.get_client_or_404(current_user, client_id)
    need = next((n for n in client.needs if n.id == need_id), None)
    if need is None:
        abort(404)
    form = NeedForm(data=None if request.method == "POST" else _need_data(need))
    form.category.choices = [c for c in form.category.choices if c.value == need.category]
    if request.method == "GET" and need.eligibility_basis:
        services.record_client_view(client=client, actor=current_user, page="need")  # the basis is personal
    return _save_need(client, form)


def _need_data(need: Need) -> dict[str, object]:
    names = ("category", "identified_on", "eligibility_basis", "met_on")
    data: dict[str, object] = {name: getattr(need, name) for name in names}
    data["decided_on"] = need.eligibility_decided_on
    data["eligible"] = yes_no_value(need.eligible)
    return data


def _save_need(client: Client, form: NeedForm) -> str | Response:
    if form.validate_on_submit():
        try:
            needs.record_need(client=client, actor=current_user, need=form.need())
        except errors.ClientRefused as exc:
            show_refusal(form, exc)
        else:
            flash(_("Need saved."), "success")
            return redirect(url_for("clients.detail", client_id=client.id, _anchor="needs"))
    return _page("clients/need_form.html", form=form, client=client)


@bp.route("/<uuid:client_id>/consent/withdraw", methods=["POST"])
@allow(*ALL_ROLES, scoped=True)
def withdraw_consent(client_id: uuid.UUID) -> Response:
    client = queries.get_client_or_404(current_user, client_id)
    form = WithdrawConsentForm()
    if not form.validate_on_submit():
        return _back_with_errors(client, form)
    try:
        services.withdraw_consent(client=client, actor=current_user, withdrawn_on=form.withdrawn_on.data)
    except errors.ClientRefused as exc:
        flash(message(exc), "error")
        return redirect(url_for("clients.detail", client_id=client.id))
    flash(
        _("Consent withdrawal recorded. The record is now restricted: only supervisors can open it."),
        "success",
    )
    if current_user.role == Role.SUPERVISOR.value:
        return redirect(url_for("clients.detail", client_id=client.id))
    return redirect(url_for("clients.caseload"))


@bp.route("/<uuid:client_id>/reassign", methods=["POST"])
@allow(Role.SUPERVISOR, scoped=True)
def reassign(client_id: uuid.UUID) -> Response:
    client = queries.get_client_or_404(current_user, client_id)
    workers = {w.id: w for w in queries.workers_of_ward(client.ward_code)}
    form = ReassignForm()
    form.set_workers(workers.values())
    if not form.validate_on_submit():
        return _back_with_errors(client, form)
    try:
        supervision.reassign_client(
            client=client,
            actor=current_user,
            worker=workers[form.worker.data],
            expected_version=form.version.data,
        )
    except errors.ClientRefused as exc:
        flash(message(exc), "error")
    else:
        flash(_("Client reassigned."), "success")
    return _back(client)


@bp.route("/<uuid:client_id>/close", methods=["POST"])
@allow(Role.SUPERVISOR, scoped=True)
def close(client_id: uuid.UUID) -> Response:
    client = queries.get_client_or_404(current_user, client_id)
    form = CloseForm()
    if not form.validate_on_submit():
        return _back_with_errors(client, form)
    try:
        supervision.close_client(
            client=client,
            actor=current_user,
            reason=form.reason.data or "",
            closed_on=form.closed_on.data,
            expected_version=form.version.data,
        )
    except errors.ClientRefused as exc:
        flash(message(exc), "error")
    else:
        flash(_("Case closed."), "success")
    return _back(client)


@bp.route("/<uuid:client_id>/reopen", methods=["POST"])
@allow(Role.SUPERVISOR, scoped=True)
def reopen(client_id: uuid.UUID) -> Response:
    client = queries.get_client_or_404(current_user, client_id)
    form = ReopenForm()
    if not form.validate_on_submit():
        return _back_with_errors(client, form)
    try:
        supervision.reopen_client(client=client, actor=current_user, expected_version=form.version.data)
    except errors.ClientRefused as exc:
        flash(message(exc), "error")
    else:
        flash(_("Case reopened."), "success")
    return _back(client)


def _back_with_errors(client: Client, form: FlaskForm) -> Response:
    """A small form on the client page was refused: say why there, nothing was saved."""
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}" if field.label.text else str(error), "error")
    return _back(client)


def _back(client: Client) -> Response:
    """Back to the local page the action came from (a supervisor's review list), else the client page."""
    target = request.form.get("next", "")
    if re.match(r"/(?![/\\])", target) and not urlsplit(target).netloc:
        return redirect(target)
    return redirect(url_for("clients.detail", client_id=client.id))
