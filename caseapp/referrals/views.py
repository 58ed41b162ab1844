"""Referrals: refer a client to a service, follow the referral until the service is used."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from caseapp.clients.models import Client
from caseapp.clients.queries import get_client_or_404
from caseapp.contacts import client_rules
from caseapp.core.access import Role, allow
from caseapp.core.clock import hanoi_today
from caseapp.core.nav import add_nav_entry
from caseapp.core.web import Shortlist
from caseapp.providers.labels import category_label
from caseapp.providers.queries import find_provider, list_providers
from caseapp.referrals import queries, services
from caseapp.referrals.forms import ReferralForm, StatusForm
from caseapp.referrals.labels import ACTION_LABELS, status_label

bp = Blueprint("referrals", __name__, template_folder="templates")
add_nav_entry("referrals.index", _l("Referrals"), 40)
CASEWORK = (Role.WORKER, Role.SUPERVISOR)

REFUSALS: dict[type[Exception], tuple[str | None, object]] = {
    services.UnknownCategory: ("category", _l("Choose one of the options shown.")),
    services.ProviderNotOffering: (
        "provider",
        _l("This provider does not offer this service in the client's ward."),
    ),
    services.ReferralDateInFuture: ("referred_on", _l("The date cannot be in the future.")),
    services.ReferralDateTooOld: ("referred_on", _l("The date is too far in the past; check the year.")),
    services.NotesTooLong: ("notes", _l("The notes are too long.")),
    client_rules.ClientOutOfScope: (None, _l("This client is not in your wards.")),
    client_rules.ClientClosed: (None, _l("This case is closed: it takes no new referrals. Reopen it first.")),
    client_rules.ClientRestricted: (None, _l("This record is restricted: nothing new can be linked to it.")),
    client_rules.ConsentNotInForce: (
        None,
        _l("This client has no consent in force: a referral cannot be made."),
    ),
}
STATUS_REFUSALS: dict[type[Exception], object] = {
    services.ReferralDateInFuture: _l("The date cannot be in the future."),
    services.StatusDateBeforeReferral: _l("The date cannot be before the referral was made."),
    services.StatusDateBeforePrevious: _l("The date cannot be before the previous status change."),
    services.StaleReferral: _l(
        "Someone else changed this referral meanwhile. Check its history and try again."
    ),
    services.ReferralOutOfScope: _l("This referral is not in your wards."),
    services.UnknownStatus: _l("Choose one of the options shown."),
}


@bp.app_template_global()
def referrals_of_client(client: Client) -> list[object]:
    """For the client page (clients/detail.html includes referrals/_client_section.html)."""
    return list(queries.referrals_of_client(current_user, client))


@bp.app_template_global()
def referrals_waiting(user: object) -> Shortlist:
    """For the caseload page (it includes referrals/_caseload_waiting.html): the longest waiting first."""
    return Shortlist.of(queries.waiting_on_provider(user, limit=Shortlist.SHOWN + 1))


@bp.app_context_processor
def labels() -> dict[str, object]:
    return {
        "status_label": status_label,
        "action_label": lambda code: str(ACTION_LABELS.get(code, code)),
        "category_label": category_label,
        "referral_overdue": queries.is_overdue,
        "hanoi_today": hanoi_today,
    }


def _transition_message(exc: services.InvalidTransition) -> str:
    return _(
        "A referral that is “%(current)s” cannot become “%(wanted)s”.",
        current=status_label(exc.current),
        wanted=status_label(exc.wanted),
    )


@bp.route("/referrals/")
@allow(*CASEWORK, scoped=True)
def index() -> str:
    waiting = queries.waiting_on_provider(current_user)
    return render_template(
        "referrals/index.html", waiting=waiting, recent=queries.recent_referrals(current_user)
    )


@bp.route("/clients/<uuid:client_id>/referrals/new", methods=["GET", "POST"])
@allow(*CASEWORK, scoped=True)
def new(client_id: uuid.UUID) -> str | Response:
    client = get_client_or_404(current_user, client_id)
    providers = list_providers(ward_code=client.ward_code)
    form = ReferralForm(data={"referred_on": hanoi_today(), "category": request.args.get("category")})
    form.set_providers(providers)
    if form.validate_on_submit():
        try:
            referral = services.refer_client(
                actor=current_user,
                client=client,
                category=form.category.data or "",
                provider=find_provider(form.provider.data),
                referred_on=form.referred_on.data,
                notes=form.notes.data,
            )
        except (services.ReferralRefused, client_rules.ClientRefused) as exc:
            _show_refusal(form, exc)
        else:
            flash(_("Referral saved."), "success")
            return redirect(url_for("referrals.detail", referral_id=referral.id))
    return render_template("referrals/form.html", form=form, client=client, providers=providers)


def _show_refusal(form: ReferralForm, exc: Exception) -> None:
    field, message = REFUSALS[type(exc)]
    if field is None:
        flash(str(message), "error")
    else:
        getattr(form, field).errors.append(str(message))


@bp.route("/referrals/<uuid:referral_id>")
@allow(*CASEWORK, scoped=True)
def detail(referral_id: uuid.UUID) -> str:
    referral = queries.get_referral_or_404(current_user, referral_id)
    services.record_referral_view(referral=referral, actor=current_user)
    form = StatusForm(data={"occurred_on": hanoi_today(), "version": referral.version})
    return render_template(
        "referrals/detail.html", referral=referral, form=form, next_statuses=queries.next_statuses(referral)
    )


@bp.route("/referrals/<uuid:referral_id>/status", methods=["POST"])
@allow(*CASEWORK, scoped=True)
def change_status(referral_id: uuid.UUID) -> Response:
    referral = queries.get_referral_or_404(current_user, referral_id)
    form = StatusForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
        return redirect(url_for("referrals.detail", referral_id=referral_id))
    try:
        services.change_status(
            actor=current_user,
            referral=referral,
            status=form.status.data or "",
            occurred_on=form.occurred_on.data,
            expected_version=form.version.data,
        )
    except services.InvalidTransition as exc:
        flash(_transition_message(exc), "error")
    except services.ReferralRefused as exc:
        flash(str(STATUS_REFUSALS[type(exc)]), "error")
    else:
        flash(_("Status saved: %(status)s.", status=status_label(form.status.data or "")), "success")
    return redirect(url_for("referrals.detail", referral_id=referral_id))
