"""`/healthz`: is this server able to serve? For a load balancer; no login, no data, never a traceback."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from werkzeug.wrappers import Response

from caseapp.core.access import public
from caseapp.core.crypto.state import EXTENSION_KEY, CryptoState
from caseapp.extensions import db

log = logging.getLogger(__name__)

bp = Blueprint("ops", __name__)


def database_reachable() -> bool:
    """A trivial query on a pooled connection (pool_pre_ping replaces dead ones)."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # whatever the driver raises, the answer is "no", never a traceback
        log.error("health check: database unavailable (%s)", type(exc).__name__)
        return False
    finally:
        db.session.remove()


def keyring_loaded() -> bool:
    """Whether the key ring was loaded at start-up and has a primary key."""
    state = current_app.extensions.get(EXTENSION_KEY)
    if not isinstance(state, CryptoState):
        return False
    try:
        return state.keyring.primary is not None
    except Exception:
        log.error("health check: key ring unusable")
        return False


@bp.route("/healthz")
@public
def healthz() -> tuple[Response, int]:
    database = database_reachable()
    keyring = keyring_loaded()
    ok = database and keyring
    body = {"status": "ok" if ok else "unavailable", "database": database, "keyring": keyring}
    return jsonify(body), 200 if ok else 503
