"""Login (password, then the second factor where enrolled), logout, password change."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from caseapp.auth import second_factor, services
from caseapp.auth.forms import ChangePasswordForm, CodeForm, LoginForm
from caseapp.core.access import ALL_ROLES, allow, public
from caseapp.extensions import db
from caseapp.users.models import User

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")

PASSWORD_MESSAGES = {
    "too_short": lambda: _("The new password must have at least 12 characters."),
    "too_long": lambda: _("The new password is too long."),
    "is_username": lambda: _("The new password must not be your username."),
    "wrong_current": lambda: _("The current password is not correct."),
}
# the password step is good for this long while the second factor is asked for
PENDING_SECONDS = 5 * 60
PENDING_KEY = "pending_login"


def safe_next(target: str | None) -> str:
    """Only local paths: a login link must never send someone to another site."""
    # browsers read a backslash as a slash: "/\\evil.example" would leave the site like "//evil.example"
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("home.index")


def login_failed_message() -> str:
    # one message for unknown users, wrong passwords, disabled accounts and throttled attempts alike
    return _("Wrong username or password. After several failed attempts, wait a few minutes and try again.")


def _complete_login(user: User, method: str | None, next_url: str | None) -> Response:
    lang = session.get("lang")
    session.clear()  # a fresh session at login: nothing from before carries over
    if lang:
        session["lang"] = lang
    services.start_session(user=user, second_factor=method)
    login_user(user)
    return redirect(safe_next(next_url))


def _pending_user() -> User | None:
    """The user who passed the password step in this browser in the last few minutes, if any."""
    pending: dict[str, Any] | None = session.get(PENDING_KEY)
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user = db.session.get(User, int(pending["user"]))
    return user if user is not None and user.active else None


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(
            username=form.username.data or "", password=form.password.data or "", address=request.remote_addr
        )
        if user is None:
            flash(login_failed_message(), "error")
            return render_template("auth/login.html", form=form)
        if not second_factor.enrolled(user):
            return _complete_login(user, None, request.args.get("next"))
        session[PENDING_KEY] = {"user": user.id, "at": time.time(), "next": request.args.get("next")}
        return redirect(url_for("auth.verify"))
    return render_template("auth/login.html", form=form)


@bp.route("/verify", methods=["GET", "POST"])
@public
def verify() -> str | Response:
    user = _pending_user()
    if user is None or current_user.is_authenticated:
        session.pop(PENDING_KEY, None)
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        method = services.verify_second_factor(
            user=user, code=form.code.data or "", address=request.remote_addr
        )
        if method is None:
            flash(_("The code is not correct, or it was already used. Wait for a new code."), "error")
            return render_template("auth/verify.html", form=form)
        return _complete_login(user, method, session.get(PENDING_KEY, {}).get("next"))
    return render_template("auth/verify.html", form=form)


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


from caseapp.auth import cli, second_factor_views  # noqa: E402, F401 - add pages and commands to bp
