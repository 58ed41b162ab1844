"""Error pages in both languages; never a traceback or a value from the request."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from caseapp.extensions import db

log = logging.getLogger(__name__)


# shown if the error page itself cannot be rendered: no template, no database, no translation lookup
BARE_PAGE = (
    '<!doctype html><html lang="vi"><meta charset="utf-8"><title>{code} · caseapp</title>'
    "<h1>{code}</h1><p>Hệ thống tạm thời gặp sự cố. Vui lòng thử lại sau ít phút.</p>"
    '<p lang="en">The service has a problem. Please try again in a few minutes.</p></html>'
)


def _page(code: int, title: str, message: str) -> tuple[str, int]:
    try:
        return render_template("errors/error.html", code=code, title=title, message=message), code
    except Exception as exc:  # an error page must never fail into a traceback
        log.error("error page %s could not be rendered: %s", code, type(exc).__name__)
        return BARE_PAGE.format(code=code), code


def messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The form was not accepted. Reload the page and try again.")),
        401: (_("Please log in"), _("You need to log in to do this.")),
        403: (_("Not allowed"), _("Your account is not allowed to open this page.")),
        404: (_("Not found"), _("This page does not exist, or you do not have access to it.")),
        405: (_("Not allowed"), _("This action is not available here.")),
        413: (_("File too large"), _("The file is too large.")),
        500: (_("Something went wrong"), _("The error has been logged. Please try again later.")),
        503: (
            _("Temporarily unavailable"),
            _("The service is temporarily unavailable. Please try again in a minute."),
        ),
    }


def handle_http(exc: HTTPException) -> tuple[str, int]:
    code = exc.code or 500
    title, message = messages().get(code, (exc.name, ""))
    return _page(code, title, message)


def handle_csrf(_exc: CSRFError) -> tuple[str, int]:
    return _page(
        400, _("Form expired"), _("The form expired or was not sent from this site. Reload and try again.")
    )


def handle_database_down(exc: Exception) -> tuple[str, int, dict[str, str]]:
    # the exception text may quote SQL parameters: log only its class and the driver's error code
    log.error("database unavailable: %s%s", type(exc).__name__, _driver_code(exc))
    _safe_rollback()
    # the page must not ask the database who is logged in (the user loader would fail again)
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    title, message = messages()[503]
    return *_page(503, title, message), {"Retry-After": "30"}


# what an operator should look at, by driver error code (SQLite names, PostgreSQL SQLSTATEs)
DATABASE_HINTS = {
    "SQLITE_FULL": "the disk holding the database is full",
    "SQLITE_READONLY": "the database file or its directory is read-only",
    "SQLITE_CANTOPEN": "the database file cannot be opened: missing, or its directory is read-only",
    "SQLITE_IOERR": "the disk holding the database reports an I/O error",
    "SQLITE_BUSY": "the database stayed locked by another process longer than the busy timeout",
    "53100": "the database server's disk is full",
    "25006": "the database is read-only (a standby server?)",
    "57P01": "the database server is shutting down",
    "57P03": "the database server is starting up",
}


def _driver_code(exc: Exception) -> str:
    """The driver's error code and a hint (SQLITE_FULL, a SQLSTATE); these never quote values."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlite_errorname", None) or getattr(orig, "sqlstate", None)
    if not code:
        return ""
    hint = next((h for prefix, h in DATABASE_HINTS.items() if str(code).startswith(prefix)), "")
    return f" ({code}: {hint})" if hint else f" ({code})"


def handle_unexpected(exc: Exception) -> tuple[str, int]:
    # tracebacks can quote values (SQL parameters, form data): only the test suite gets them
    log.error("unhandled %s", type(exc).__name__, exc_info=current_app.testing)
    _safe_rollback()
    title, message = messages()[500]
    return _page(500, title, message)


def remove_session_quietly(_exc: BaseException | None = None) -> None:
    """End the request's session; a connection the server closed under us must not turn a page into a 500."""
    # registered after Flask-SQLAlchemy's own teardown, so it runs first: the response (the page, or the
    # 503 page) has been made already, and a rollback that fails on a dead connection only discards it
    try:
        db.session.remove()
    except Exception as exc:
        log.warning("database session not closed cleanly: %s%s", type(exc).__name__, _driver_code(exc))
        try:
            db.session.registry().invalidate()  # close the connection itself, releasing any lock it holds
        except Exception:
            log.warning("database connection could not be invalidated")
        db.session.registry.clear()


def _safe_rollback() -> None:
    try:
        db.session.rollback()
    except Exception:
        log.warning("rollback failed after an error")


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(DBAPIError, handle_database_down)
    app.register_error_handler(InternalServerError, handle_http)
    app.teardown_appcontext(remove_session_quietly)
    if not app.testing or not app.config.get("PROPAGATE_EXCEPTIONS"):
        app.register_error_handler(Exception, handle_unexpected)
