"""gunicorn settings for caseapp: `gunicorn --config python:caseapp.ops.gunicorn_conf wsgi:app`.

The app is built once in the master before any socket is bound, so a missing or wrong key ring, or a
missing SECRET_KEY, stops the server with a one-line message ("Error: ...") before it serves anything.
Command-line flags (`--workers`, `--bind`) override these values.
"""

from __future__ import annotations

import os
from typing import Any

bind = os.environ.get("CASEAPP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# a request slower than this is stuck (a lock, a lost database): the worker is replaced
timeout = 60
graceful_timeout = 30
# recycle workers now and then, so a slow leak never grows for months
max_requests = 5000
max_requests_jitter = 500
# nginx on the same host sets X-Forwarded-Proto; trust it from there only (CASEAPP_TRUSTED_PROXIES=1 also
# takes the client's address from X-Forwarded-For, for login throttling: see caseapp/ops/proxy.py)
forwarded_allow_ips = "127.0.0.1"
# URLs carry ids only (never personal data), so the access log is safe to keep
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


def on_starting(_server: Any) -> None:
    """Build the app once in the master: configuration and key ring errors stop the start here."""
    from caseapp import create_app
    from caseapp.extensions import db
    from caseapp.ops.proxy import trusted_proxies

    trusted_proxies()  # a bad CASEAPP_TRUSTED_PROXIES stops the start too
    app = create_app()
    with app.app_context():
        # the workers open their own connections; none may be shared across fork()
        db.engine.dispose()
