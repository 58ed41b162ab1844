"""Second-factor pages: enrolment (required roles are sent here first), recovery codes, the admin reset."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from caseapp.auth import second_factor
from caseapp.auth.forms import CodeForm
from caseapp.auth.queries import second_factor_overview
from caseapp.auth.views import bp
from caseapp.core.access import ALL_ROLES, Role, allow
from caseapp.core.forms import BaseForm
from caseapp.core.nav import add_nav_entry
from caseapp.users.queries import get_user_or_404

add_nav_entry("auth.security", _l("Account security"), 95)
add_nav_entry("auth.staff_second_factor", _l("Two-step verification (staff)"), 91)

# pages a user who must enrol can still reach: enrolment itself, the password change before it, logout
ENROLMENT_ALLOWED = frozenset(
    {"auth.setup_second_factor", "auth.change_password", "auth.logout", "static", "home.set_language"}
)


@bp.before_app_request
def require_second_factor() -> Response | None:
    """Roles that must use a second factor reach nothing else until they have enrolled."""
    if (
        getattr(current_user, "is_authenticated", False)
        and request.endpoint not in ENROLMENT_ALLOWED
        and second_factor.required_for(current_user)
        and not second_factor.enrolled(current_user)
    ):
        return redirect(url_for("auth.setup_second_factor"))
    return None


@bp.route("/second-factor/setup", methods=["GET", "POST"])
@allow(*ALL_ROLES)
def setup_second_factor() -> str | Response:
    if second_factor.enrolled(current_user):
        return redirect(url_for("auth.security"))
    factor = second_factor.begin_enrolment(user=current_user)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_enrolment(user=current_user, code=form.code.data or "")
        except second_factor.CodeRejected:
            flash(
                _("The code is not correct. Check the time on your phone and try the newest code."),
                "error",
            )
        else:
            flash(_("Two-step verification is on."), "success")
            return render_template("auth/recovery_codes.html", codes=codes)
    setup = second_factor.provisioning(current_user, factor)
    return render_template(
        "auth/second_factor_setup.html",
        form=form,
        setup=setup,
        required=second_factor.required_for(current_user),
    )


@bp.route("/second-factor")
@allow(*ALL_ROLES)
def security() -> str:
    return render_template(
        "auth/security.html",
        enrolled=second_factor.enrolled(current_user),
        required=second_factor.required_for(current_user),
        remaining=second_factor.remaining_recovery_codes(current_user),
        recovery_form=CodeForm(prefix="recovery"),
        disable_form=CodeForm(prefix="disable"),
    )


@bp.route("/second-factor/recovery-codes", methods=["POST"])
@allow(*ALL_ROLES)
def replace_recovery_codes() -> str | Response:
    form = CodeForm(prefix="recovery")
    if form.validate_on_submit():
        try:
            codes = second_factor.regenerate_recovery_codes(user=current_user, code=form.code.data or "")
        except second_factor.CodeRejected:
            flash(_("The code is not correct, or it was already used. Wait for a new code."), "error")
        else:
            return render_template("auth/recovery_codes.html", codes=codes)
    return redirect(url_for("auth.security"))


@bp.route("/second-factor/disable", methods=["POST"])
@allow(*ALL_ROLES)
def disable_second_factor() -> Response:
    form = CodeForm(prefix="disable")
    if form.validate_on_submit():
        try:
            second_factor.disable(user=current_user, code=form.code.data or "")
        except second_factor.SecondFactorRequired:
            flash(_("Your role requires two-step verification; it cannot be switched off."), "error")
        except second_factor.CodeRejected:
            flash(_("The code is not correct, or it was already used. Wait for a new code."), "error")
        else:
            flash(_("Two-step verification is off."), "success")
    return redirect(url_for("auth.security"))


@bp.route("/second-factor/staff")
@allow(Role.ADMIN)
def staff_second_factor() -> str:
    return render_template("auth/staff_second_factor.html", rows=second_factor_overview(), form=BaseForm())


@bp.route("/second-factor/staff/<int:user_id>/reset", methods=["POST"])
@allow(Role.ADMIN)
def reset_staff_second_factor(user_id: int) -> Response:
    user = get_user_or_404(user_id)
    second_factor.reset_second_factor(user=user)
    flash(
        _(
            "Two-step verification of %(name)s was reset; they set it up again at next login.",
            name=user.username,
        ),
        "success",
    )
    return redirect(url_for("auth.staff_second_factor"))
