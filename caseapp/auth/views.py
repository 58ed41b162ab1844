"""Login, logout, password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from caseapp.auth import services
from caseapp.auth.forms import ChangePasswordForm, LoginForm
from caseapp.core.access import ALL_ROLES, allow, public

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")

PASSWORD_MESSAGES = {
    "too_short": lambda: _("The new password must have at least 12 characters."),
    "too_long": lambda: _("The new password is too long."),
    "is_username": lambda: _("The new password must not be your username."),
    "wrong_current": lambda: _("The current password is not correct."),
}


def safe_next(target: str | None) -> str:
    """Only local paths: a login link must never send someone to another site."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(username=form.username.data or "", password=form.password.data or "")
        if user is None:
            # one message for unknown users, wrong passwords and disabled accounts alike
            flash(_("Wrong username or password."), "error")
            return render_template("auth/login.html", form=form)
        lang = session.get("lang")
        session.clear()  # a fresh session at login: nothing from before carries over
        if lang:
            session["lang"] = lang
        services.start_session(user=user)
        login_user(user)
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(*ALL_ROLES)
def logout() -> Response:
    token = current_user.session_token
    services.end_session(token=token, user=current_user)
    logout_user()
    session.clear()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@allow(*ALL_ROLES)
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                user=current_user, current=form.current.data or "", new=form.new.data or ""
            )
        except services.PasswordRejected as exc:
            flash(PASSWORD_MESSAGES[str(exc)](), "error")
        else:
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)
