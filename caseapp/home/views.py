"""Landing page after login, and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user
from werkzeug.wrappers import Response

from caseapp.auth.views import safe_next
from caseapp.clients.caseload import caseload_page
from caseapp.core.access import ALL_ROLES, allow, public

bp = Blueprint("home", __name__, template_folder="templates")


@bp.route("/")
@allow(*ALL_ROLES, scoped=True)
def index() -> str:
    if current_user.role in ("worker", "supervisor"):
        return caseload_page(current_user)  # casework starts the day at the caseload
    return render_template("home/index.html", wards=[])


@bp.route("/lang/<code>")
@public
def set_language(code: str) -> Response:
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")))
