"""Behind nginx: take the client's address and scheme from the proxy's headers, for that many proxies only.

Without this every request seems to come from 127.0.0.1 (nginx), so login throttling per address would
lump all staff together. Headers are trusted only for the configured number of hops, never more, since a
client can send any X-Forwarded-For it likes.
"""

from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

ENV_VAR = "CASEAPP_TRUSTED_PROXIES"


class ProxyConfigError(RuntimeError):
    """CASEAPP_TRUSTED_PROXIES is not a small whole number."""


def trusted_proxies(environ: dict[str, str] | os._Environ[str] = os.environ) -> int:
    """How many reverse proxies stand in front of the app (0: none, the default)."""
    value = environ.get(ENV_VAR, "0").strip() or "0"
    if not value.isdigit() or int(value) > 5:
        raise ProxyConfigError(
            f"{ENV_VAR} must be the number of reverse proxies in front (0-5), not {value!r}"
        )
    return int(value)


def behind_proxies(app: Flask, count: int) -> Flask:
    """Trust X-Forwarded-For/-Proto/-Host from `count` proxies (nothing is changed for 0)."""
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    return app
