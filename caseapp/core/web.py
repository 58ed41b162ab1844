"""Per-request plumbing: request ids in logs, security headers, forced password change."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from flask import Flask, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from caseapp.core.access import enforce_policy

# pages reachable while a one-time password is still in use
PASSWORD_CHANGE_ALLOWED = frozenset({"auth.change_password", "auth.logout", "static", "home.set_language"})

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class RequestIdFilter(logging.Filter):
    """Adds the request id to every log record, so a log line can be matched to an audit event."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            record.request_id = g.get("request_id", "-")
        except RuntimeError:
            record.request_id = "-"
        return True


def assign_request_id() -> None:
    g.request_id = secrets.token_hex(8)


def force_password_change() -> Response | None:
    if (
        getattr(current_user, "is_authenticated", False)
        and current_user.must_change_password
        and request.endpoint not in PASSWORD_CHANGE_ALLOWED
    ):
        return redirect(url_for("auth.change_password"))
    return None


def security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.endpoint != "static":
        # pages may hold personal data: never keep them in a browser or proxy cache
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


def configure_logging(app: Flask) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
    )
    root = logging.getLogger("caseapp")
    if not any(isinstance(h, logging.StreamHandler) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False
    # werkzeug's access log prints full URLs; URLs carry ids only, never personal data (see tests)


def init_app(app: Flask) -> None:
    configure_logging(app)
    app.before_request(assign_request_id)
    app.before_request(lambda: enforce_policy(app))
    app.before_request(force_password_change)
    app.after_request(security_headers)


@dataclass(frozen=True)
class Shortlist:
    """The first SHOWN items of a list on a busy page, and whether there are more.

    The caseload page rendered up to 100 follow-ups, each with its own form: unreadable on a phone and
    most of the page's cost. Queries fetch SHOWN + 1 rows, so "more" costs nothing.
    """

    SHOWN: ClassVar[int] = 20
    items: tuple[Any, ...]
    more: bool

    @classmethod
    def of(cls, rows: Sequence[Any]) -> Shortlist:
        return cls(tuple(rows[: cls.SHOWN]), len(rows) > cls.SHOWN)
