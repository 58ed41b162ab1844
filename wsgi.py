"""WSGI entry point: `gunicorn --config python:caseapp.ops.gunicorn_conf wsgi:app` (docs/operations.md)."""

from caseapp import create_app
from caseapp.ops.proxy import behind_proxies, trusted_proxies

app = behind_proxies(create_app(), trusted_proxies())
