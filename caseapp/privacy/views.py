"""Data-subject requests, handled by the supervisor of the client's ward."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from caseapp.clients import errors as client_errors
from caseapp.clients.errors import ClientRefused
from caseapp.clients.services import record_client_view
from caseapp.core.access import Role, allow
from caseapp.core.nav import add_nav_entry
from caseapp.privacy import queries, services
from caseapp.privacy.forms import CorrectionForm, ErasureForm, FindClientForm, RequestForm
from caseapp.privacy.labels import request_label, source_label
from caseapp.privacy.subject_copy import filename_for, render_copy

bp = Blueprint("privacy", __name__, url_prefix="/privacy", template_folder="templates")
add_nav_entry("privacy.index", _l("Data-subject requests"), 85)

REFUSALS: dict[type[Exception], object] = {
    services.AlreadyErased: _l("This client's personal data has already been erased."),
    services.NothingChanged: _l("Nothing was changed."),
    services.InvalidRequestDate: _l("The date the request was received cannot be in the future."),
}

# the clients feature's checks, met while correcting
CORRECTION_REFUSALS: dict[type[Exception], object] = {
    client_errors.InvalidPhone: _l("This is not a Vietnamese phone number."),
    client_errors.InvalidIdNumber: _l("The ID number has 12 digits."),
    client_errors.BirthDateMismatch: _l("The date of birth does not fall in the year of birth."),
    client_errors.DateInFuture: _l("The date cannot be in the future."),
    client_errors.TextTooLong: _l("A field is too long."),
    client_errors.AliasRequired: _l("Every client keeps an alias."),
    client_errors.ConsentWithdrawn: _l("Consent was withdrawn: personal fields can no longer be changed."),
    client_errors.PersonalDataWithoutConsent: _l("The person's consent does not cover this kind of data."),
    client_errors.StaleClient: _l("Someone else changed this client meanwhile. Reload and try again."),
}


def _refused(exc: services.RequestRefused) -> None:
    flash(str(REFUSALS.get(type(exc), _l("Nothing was changed."))), "error")


def _back(client_id: uuid.UUID) -> BaseResponse:
    return redirect(url_for("privacy.client", client_id=client_id))


@bp.app_template_global()
def privacy_labels() -> dict[str, object]:
    return {"request": request_label, "source": source_label}


@bp.route("/", methods=["GET", "POST"])
@allow(Role.SUPERVISOR, scoped=True)
def index() -> str | BaseResponse:
    form = FindClientForm()
    if form.validate_on_submit():
        client = queries.find_client_by_code(current_user, form.code.data or "")
        if client is not None:
            return _back(client.id)
        flash(_("No client with this code in your wards."), "error")
    return render_template("privacy/index.html", form=form, requests=queries.recent_requests(current_user))


@bp.route("/clients/<uuid:client_id>")
@allow(Role.SUPERVISOR, scoped=True)
def client(client_id: uuid.UUID) -> str:
    found = queries.get_client_or_404(current_user, client_id)
    return render_template(
        "privacy/client.html",
        client=found,
        requests=queries.requests_of(found),
        copy_form=RequestForm(prefix="copy"),
        restriction_form=RequestForm(prefix="restriction"),
    )


@bp.route("/clients/<uuid:client_id>/copy", methods=["POST"])
@allow(Role.SUPERVISOR, scoped=True)
def access_copy(client_id: uuid.UUID) -> BaseResponse:
    found = queries.get_client_or_404(current_user, client_id)
    form = RequestForm(prefix="copy")
    if not form.validate_on_submit():
        flash(_("Enter the date the request was received."), "error")
        return _back(client_id)
    try:
        services.record_access_copy(client=found, actor=current_user, received_on=form.received_on.data)
    except services.RequestRefused as exc:
        _refused(exc)
        return _back(client_id)
    disposition = f'attachment; filename="{filename_for(found)}"'
    return Response(render_copy(found), mimetype="text/html", headers={"Content-Disposition": disposition})


@bp.route("/clients/<uuid:client_id>/correct", methods=["GET", "POST"])
@allow(Role.SUPERVISOR, scoped=True)
def correct(client_id: uuid.UUID) -> str | BaseResponse:
    found = queries.get_client_or_404(current_user, client_id)
    form = CorrectionForm(obj=found)
    if form.validate_on_submit():
        changes = {name: getattr(form, name).data for name in services.CORRECTABLE}
        try:
            services.correct_client(
                client=found, actor=current_user, received_on=form.received_on.data, changes=changes
            )
        except services.RequestRefused as exc:
            _refused(exc)
        except ClientRefused as exc:
            flash(str(CORRECTION_REFUSALS.get(type(exc), _l("This correction was not accepted."))), "error")
        else:
            flash(_("The correction has been saved."), "success")
            return _back(client_id)
    elif found.erased_at is None:
        record_client_view(client=found, actor=current_user, page="privacy.correct")
    return render_template("privacy/correct.html", client=found, form=form)


@bp.route("/clients/<uuid:client_id>/restriction", methods=["POST"])
@allow(Role.SUPERVISOR, scoped=True)
def restriction(client_id: uuid.UUID) -> BaseResponse:
    found = queries.get_client_or_404(current_user, client_id)
    form = RequestForm(prefix="restriction")
    if not form.validate_on_submit():
        flash(_("Enter the date the request was received."), "error")
        return _back(client_id)
    try:
        services.set_restriction(
            client=found,
            actor=current_user,
            received_on=form.received_on.data,
            restricted=not found.restricted,
        )
    except services.RequestRefused as exc:
        _refused(exc)
    else:
        restricted = _("Restricted: workers no longer see this client.")
        flash(restricted if found.restricted else _("Restriction lifted."), "success")
    return _back(client_id)


@bp.route("/clients/<uuid:client_id>/erase", methods=["GET", "POST"])
@allow(Role.SUPERVISOR, scoped=True)
def erase(client_id: uuid.UUID) -> str | BaseResponse:
    found = queries.get_client_or_404(current_user, client_id)
    form = ErasureForm()
    if form.validate_on_submit():
        if (form.confirm_code.data or "").strip().upper() != found.code:
            form.confirm_code.errors.append(_("This is not the client's code."))
        else:
            try:
                services.erase_client(client=found, actor=current_user, received_on=form.received_on.data)
            except services.RequestRefused as exc:
                _refused(exc)
            else:
                flash(_("The client's personal data has been erased."), "success")
            return _back(client_id)
    return render_template("privacy/erase.html", client=found, form=form)
