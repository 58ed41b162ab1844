"""Ward list (scoped) and the admin's cohort settings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from caseapp.core.access import ALL_ROLES, Role, allow
from caseapp.core.nav import add_nav_entry
from caseapp.wards import services
from caseapp.wards.forms import CohortImportForm, WardCohortForm
from caseapp.wards.queries import get_ward_or_404, visible_wards

bp = Blueprint("wards", __name__, url_prefix="/wards", template_folder="templates")
add_nav_entry("wards.index", _l("Wards"), 80)

ROW_REASONS = {
    "not_utf8": lambda: _("The file is not UTF-8 text."),
    "bad_header": lambda: _("The first line must be exactly: code,cohort"),
    "unknown_ward": lambda: _("Unknown ward code."),
    "bad_cohort": lambda: _("Cohort must be 2025, 2026 or empty."),
}


@bp.route("/")
@allow(*ALL_ROLES, scoped=True)
def index() -> str:
    wards = visible_wards(current_user)
    return render_template(
        "wards/index.html",
        wards=wards,
        can_edit=current_user.role == Role.ADMIN,
        import_form=CohortImportForm(),
    )


@bp.route("/<int:code>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit(code: int) -> str | Response:
    ward = get_ward_or_404(current_user, code)
    form = WardCohortForm(data={"cohort": str(ward.cohort or ""), "active": ward.active})
    if form.validate_on_submit():
        services.set_cohort(
            codes=[ward.code], cohort=services.parse_cohort(form.cohort.data), active=bool(form.active.data)
        )
        flash(_("Ward %(name)s saved.", name=ward.name), "success")
        return redirect(url_for("wards.index"))
    return render_template("wards/edit.html", ward=ward, form=form)


@bp.route("/import", methods=["POST"])
@allow(Role.ADMIN)
def import_cohorts() -> Response:
    form = CohortImportForm()
    if not form.validate_on_submit():
        flash(_("Choose a CSV file to import."), "error")
        return redirect(url_for("wards.index"))
    try:
        count = services.import_cohorts_csv(content=form.file.data.read())
    except services.InvalidCohortFile as exc:
        for err in exc.errors:
            flash(_("Line %(line)s: %(reason)s", line=err.line, reason=ROW_REASONS[err.reason]()), "error")
        flash(_("Nothing was imported."), "error")
    else:
        flash(_("Cohorts set for %(count)s wards.", count=count), "success")
    return redirect(url_for("wards.index"))
