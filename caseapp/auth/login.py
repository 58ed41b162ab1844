"""Flask-Login wiring: the cookie holds a session token, resolved against the database each request."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import LoginManager
from werkzeug.wrappers import Response

from caseapp.auth.services import load_session
from caseapp.users.models import User


def init_login(manager: LoginManager) -> None:
    manager.session_protection = None  # our server-side sessions already end on logout and timeouts
    manager.user_loader(_load_user)
    manager.unauthorized_handler(_unauthorized)


def _load_user(token: str) -> User | None:
    return load_session(token)


def _unauthorized() -> Response:
    if request.method == "GET":
        return redirect(url_for("auth.login"))
    abort(401)
