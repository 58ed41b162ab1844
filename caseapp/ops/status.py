"""Is this server able to serve: the database answers, the key ring is loaded. Read by /healthz."""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import text

from caseapp.core.crypto.state import EXTENSION_KEY, CryptoState
from caseapp.core.errors import remove_session_quietly
from caseapp.extensions import db

log = logging.getLogger(__name__)


def database_reachable() -> bool:
    """A trivial query on a pooled connection (pool_pre_ping replaces dead ones)."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # whatever the driver raises, the answer is "no", never a traceback
        log.error("health check: database unavailable (%s)", type(exc).__name__)
        return False
    finally:
        remove_session_quietly()  # a dead pooled connection is discarded, not raised


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
