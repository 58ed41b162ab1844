"""Administrators set each programme year's targets."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from caseapp.core.access import Role, allow
from caseapp.core.nav import add_nav_entry
from caseapp.targets import services
from caseapp.targets.forms import TargetForm
from caseapp.targets.queries import all_targets, target_for

bp = Blueprint("targets", __name__, url_prefix="/admin/targets", template_folder="templates")
add_nav_entry("targets.index", _l("Targets"), 85)


@bp.route("/", methods=["GET", "POST"])
@allow(Role.ADMIN)
def index() -> str | Response:
    form = TargetForm()
    if form.validate_on_submit():
        year = int(form.year.data or 0)
        try:
            services.set_targets(
                year=year,
                contacts=int(form.contacts.data or 0),
                service_access_pct=int(form.service_access_pct.data or 0),
                actor_id=current_user.id,
            )
        except services.InvalidTarget:
            flash(_("These targets are not valid."), "error")
        else:
            flash(_("Targets for %(year)s saved.", year=year), "success")
            return redirect(url_for("targets.index"))
    return render_template("targets/index.html", form=form, targets=all_targets())


@bp.route("/<int:year>")
@allow(Role.ADMIN)
def edit(year: int) -> str:
    values = target_for(year)
    form = TargetForm(
        data={"year": year, "contacts": values.contacts, "service_access_pct": values.service_access_pct}
    )
    return render_template("targets/index.html", form=form, targets=all_targets())
