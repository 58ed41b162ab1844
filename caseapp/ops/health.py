"""`/healthz`: is this server able to serve? For a load balancer; no login, no data, never a traceback."""

from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from caseapp.core.access import public
from caseapp.ops.status import database_reachable, keyring_loaded

bp = Blueprint("ops", __name__)


@bp.route("/healthz")
@public
def healthz() -> tuple[Response, int]:
    database = database_reachable()
    keyring = keyring_loaded()
    ok = database and keyring
    body = {"status": "ok" if ok else "unavailable", "database": database, "keyring": keyring}
    return jsonify(body), 200 if ok else 503
