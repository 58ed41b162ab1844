"""The audit trail page: "who looked at this client, and when", for the supervisors of the client's ward."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from caseapp.audit_ui import queries, services
from caseapp.audit_ui.forms import AuditFilterForm
from caseapp.audit_ui.labels import action_label, detail_text, entity_label
from caseapp.clients.queries import find_client_by_code
from caseapp.core.access import Role, allow
from caseapp.core.forms import choices
from caseapp.core.nav import add_nav_entry

bp = Blueprint("audit_ui", __name__, url_prefix="/audit", template_folder="templates")
add_nav_entry("audit_ui.index", _l("Audit trail"), 88)


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    staff = [(u.id, f"{u.display_name} ({u.username})") for u in queries.staff_of_wards(current_user)]
    form.user.choices = choices([("", _l("Anyone")), *staff])
    return form


def _filters(form: AuditFilterForm) -> queries.AuditFilters | None:
    """The filters asked for; None when a client code was given that is not one of the user's clients."""
    client = find_client_by_code(current_user, form.client.data) if form.client.data else None
    if form.client.data and client is None:
        return None
    before = request.args.get("before", type=int)
    return queries.AuditFilters(form.user.data, client, form.date_from.data, form.date_to.data, before)


@bp.route("/")
@allow(Role.SUPERVISOR, scoped=True)
def index() -> str:
    form = _form()
    filters = _filters(form) if form.validate() else queries.AuditFilters()
    if filters is None:
        flash(_("No client with this code in your wards."), "error")
        filters = queries.AuditFilters()
    used = [name for name in ("user", "client", "date_from", "date_to") if request.args.get(name)]
    services.record_trail_view(actor=current_user, filters=used)
    page = queries.audit_page(current_user, filters)
    labels = {"action": action_label, "entity": entity_label, "details": detail_text}
    args: dict[str, Any] = {**request.args.to_dict(), "before": page.next_before}
    older = url_for("audit_ui.index", **args)
    return render_template("audit_ui/index.html", form=form, page=page, labels=labels, older=older)
