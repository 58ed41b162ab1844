"""The providers directory: everyone doing casework reads it; supervisors and admins keep it up to date."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from caseapp.clients.models import ServiceCategory
from caseapp.core.access import Role, allow
from caseapp.core.forms import choices
from caseapp.core.nav import add_nav_entry
from caseapp.providers import services
from caseapp.providers.forms import ProviderForm
from caseapp.providers.labels import CATEGORY_LABELS, category_label
from caseapp.providers.models import Provider
from caseapp.providers.queries import get_provider_or_404, list_providers
from caseapp.wards.queries import all_wards

bp = Blueprint("providers", __name__, url_prefix="/providers", template_folder="templates")
add_nav_entry("providers.index", _l("Service providers"), 60)

REFUSALS = {
    services.NameRequired: ("name", _l("This field is required.")),
    services.CategoryRequired: ("categories", _l("Choose at least one service.")),
    services.UnknownCategory: ("categories", _l("Choose one of the options shown.")),
    services.InvalidPhone: ("phone", _l("Digits, spaces and + ( ) . - only.")),
    services.AddressTooLong: ("address", _l("At most %(max)d characters.", max=services.MAX_ADDRESS)),
    services.UnknownWard: ("wards", _l("Choose one of the options shown.")),
    services.InvalidText: ("name", _l("Remove the special characters.")),
    services.NotAllowedToManage: ("name", _l("Your account is not allowed to change providers.")),
}


@bp.app_context_processor
def labels() -> dict[str, object]:
    return {"category_label": category_label}


def _form(provider: Provider | None = None) -> ProviderForm:
    form = ProviderForm(obj=provider, data={"wards": [w.code for w in provider.wards]} if provider else None)
    form.wards.choices = choices((w.code, w.name) for w in all_wards())
    return form


def _data(form: ProviderForm) -> services.ProviderData:
    return services.ProviderData(
        name=form.name.data or "",
        categories=form.categories.data or [],
        address=form.address.data,
        phone=form.phone.data,
        ward_codes=form.wards.data or [],
        active=bool(form.active.data),
    )


def _refused(form: ProviderForm, exc: services.ProviderRefused) -> None:
    field, message = REFUSALS[type(exc)]
    getattr(form, getattr(exc, "field", field)).errors.append(str(message))


@bp.route("/")
@allow(Role.WORKER, Role.SUPERVISOR, Role.ADMIN)
def index() -> str:
    category = request.args.get("category") or None
    ward = request.args.get("ward", type=int)
    category = category if category in set(ServiceCategory) else None
    return render_template(
        "providers/index.html",
        providers=list_providers(category=category, ward_code=ward, active_only=False),
        categories=CATEGORY_LABELS,
        category=category,
        ward=ward,
        wards=all_wards(),
        can_manage=current_user.role in services.MANAGERS,
    )


@bp.route("/new", methods=["GET", "POST"])
@allow(Role.SUPERVISOR, Role.ADMIN)
def create() -> str | Response:
    form = _form()
    if form.validate_on_submit():
        try:
            provider = services.create_provider(actor=current_user, data=_data(form))
        except services.ProviderRefused as exc:
            _refused(form, exc)
        else:
            flash(_("Provider %(name)s saved.", name=provider.name), "success")
            return redirect(url_for("providers.index"))
    return render_template("providers/form.html", form=form, provider=None)


@bp.route("/<int:provider_id>", methods=["GET", "POST"])
@allow(Role.SUPERVISOR, Role.ADMIN)
def edit(provider_id: int) -> str | Response:
    provider = get_provider_or_404(provider_id)
    form = _form(provider)
    if form.validate_on_submit():
        try:
            services.update_provider(actor=current_user, provider=provider, data=_data(form))
        except services.ProviderRefused as exc:
            _refused(form, exc)
        else:
            flash(_("Provider %(name)s saved.", name=provider.name), "success")
            return redirect(url_for("providers.index"))
    return render_template("providers/form.html", form=form, provider=provider)
