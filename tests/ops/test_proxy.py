"""Behind nginx the client's address comes from X-Forwarded-For, trusted for the configured hops only."""

from __future__ import annotations

import pytest
from flask import Flask, request

from caseapp.core.access import public
from caseapp.ops.proxy import ProxyConfigError, behind_proxies, trusted_proxies

NGINX = {"REMOTE_ADDR": "127.0.0.1"}


def address_app(make_app, proxies: int) -> Flask:  # type: ignore[no-untyped-def]
    app = make_app()

    @public
    def whoami() -> str:
        return f"{request.remote_addr} {request.scheme}"

    app.add_url_rule("/whoami", "whoami", whoami)
    return behind_proxies(app, proxies)


def test_one_trusted_proxy_gives_the_client_address_and_scheme(make_app) -> None:  # type: ignore[no-untyped-def]
    client = address_app(make_app, 1).test_client()
    headers = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7", "X-Forwarded-Proto": "https"}
    # the last hop is nginx's own view of the client; an earlier entry may be forged by the client
    assert (
        client.get("/whoami", headers=headers, environ_base=NGINX).get_data(as_text=True)
        == "203.0.113.7 https"
    )


def test_without_a_proxy_the_headers_are_ignored(make_app) -> None:  # type: ignore[no-untyped-def]
    client = address_app(make_app, 0).test_client()
    response = client.get("/whoami", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base=NGINX)
    assert response.get_data(as_text=True) == "127.0.0.1 http"


def test_the_setting_is_a_small_whole_number() -> None:
    assert trusted_proxies({}) == 0 and trusted_proxies({"CASEAPP_TRUSTED_PROXIES": "1"}) == 1
    for bad in ("yes", "-1", "9"):
        with pytest.raises(ProxyConfigError, match="CASEAPP_TRUSTED_PROXIES"):
            trusted_proxies({"CASEAPP_TRUSTED_PROXIES": bad})
