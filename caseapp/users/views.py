"""Admin screens for staff accounts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from caseapp.core.access import Role, allow
from caseapp.core.forms import choices
from caseapp.core.nav import add_nav_entry
from caseapp.users import services
from caseapp.users.forms import UserForm
from caseapp.users.queries import all_users, get_user_or_404
from caseapp.wards.queries import all_wards

bp = Blueprint("users", __name__, url_prefix="/admin/users", template_folder="templates")
add_nav_entry("users.index", _l("Staff accounts"), 90)


def _form(**kwargs: object) -> UserForm:
    form = UserForm(**kwargs)
    form.wards.choices = choices((w.code, w.name) for w in all_wards())
    return form


def _explain(exc: Exception) -> str:
    if isinstance(exc, services.UsernameTaken):
        return _("That username is already taken.")
    if isinstance(exc, services.WardsRequired):
        return _("Social workers and supervisors need at least one ward.")
    if isinstance(exc, services.InvalidUsername):
        return _("Use only letters a-z, digits, '.', '_' and '-' (3 to 64 characters).")
    return _("Some wards are unknown.")


EXPECTED = (services.UsernameTaken, services.WardsRequired, services.InvalidUsername, LookupError, ValueError)


@bp.route("/")
@allow(Role.ADMIN)
def index() -> str:
    return render_template("users/index.html", users=all_users())


@bp.route("/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def create() -> str | Response:
    form = _form()
    if form.validate_on_submit():
        try:
            user, secret = services.create_user(
                username=form.username.data or "",
                display_name=form.display_name.data or "",
                role=Role(form.role.data),
                ward_codes=form.wards.data or [],
            )
        except EXPECTED as exc:
            flash(_explain(exc), "error")
        else:
            return render_template("users/one_time_password.html", user=user, secret=secret)
    return render_template("users/form.html", form=form, user=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit(user_id: int) -> str | Response:
    user = get_user_or_404(user_id)
    form = _form(obj=user, data={"wards": [w.code for w in user.wards]})
    del form.username
    if form.validate_on_submit():
        try:
            services.update_user(
                user=user,
                display_name=form.display_name.data or "",
                role=Role(form.role.data),
                ward_codes=form.wards.data or [],
                active=bool(form.active.data),
            )
        except EXPECTED as exc:
            flash(_explain(exc), "error")
        else:
            flash(_("Account %(name)s saved.", name=user.username), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user)


@bp.route("/<int:user_id>/reset-password", methods=["POST"])
@allow(Role.ADMIN)
def reset_password(user_id: int) -> str:
    user = get_user_or_404(user_id)
    secret = services.reset_password(user=user)
    return render_template("users/one_time_password.html", user=user, secret=secret)
