"""Retention: `flask retention apply` erases cases closed longer ago than the period, with a frozen clock."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from caseapp.clients.models import Client
from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from caseapp.privacy import clock
from caseapp.privacy.models import DataSubjectRequest
from tests.factories import WARD_A
from tests.security.world import canary_client

CLOSED_ON = dt.date(2021, 3, 1)


@pytest.fixture
def clients(app: Flask) -> dict[str, object]:
    with app.app_context():
        made = {
            "old": canary_client(WARD_A, "CANARYOLD1", code="HN-OLD1"),
            "recent": canary_client(WARD_A, "CANARYRECENT", code="HN-RECENT"),
            "open": canary_client(WARD_A, "CANARYOPEN", code="HN-OPEN"),
        }
        made["old"].status, made["old"].closed_on, made["old"].closed_reason = "closed", CLOSED_ON, "moved"
        made["recent"].status, made["recent"].closed_on = "closed", CLOSED_ON + dt.timedelta(days=1)
        db.session.commit()
        return {name: client.id for name, client in made.items()}


def freeze(monkeypatch: pytest.MonkeyPatch, today: dt.date) -> None:
    monkeypatch.setattr(clock, "hanoi_today", lambda: today)


def run(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["retention", "apply", *args])
    assert result.exit_code == 0, result.output
    return result.output


def erased(app: Flask, ids: dict[str, object]) -> set[str]:
    with app.app_context():
        return {name for name, client_id in ids.items() if db.session.get(Client, client_id).erased_at}


def test_retention_erases_only_cases_closed_longer_ago_than_the_period(
    app: Flask, clients: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    days = app.config["RETENTION_DAYS_AFTER_CLOSE"]
    freeze(monkeypatch, CLOSED_ON + dt.timedelta(days=days))  # exactly the period: not yet
    assert "0 clients" in run(app)
    assert erased(app, clients) == set()
    freeze(monkeypatch, CLOSED_ON + dt.timedelta(days=days + 1))
    assert "1 clients closed before 02/03/2021 would be erased" in run(app, "--dry-run")
    assert erased(app, clients) == set()
    assert "1 clients" in run(app)
    assert erased(app, clients) == {"old"}
    with app.app_context():
        old = db.session.get(Client, clients["old"])
        assert old.full_name is None and old.phone_bidx is None and old.code == "HN-OLD1"
        request = DataSubjectRequest.query.one()
        assert (request.kind, request.source, request.received_on) == ("erasure", "retention", None)
        runs = AuditEvent.query.filter_by(action="retention.applied").order_by(AuditEvent.seq).all()
        assert [run.details["erased"] for run in runs] == [0, 1]  # every run is audited, dry runs aside
        assert AuditEvent.query.filter_by(action="privacy.erased").one().details["source"] == "retention"
    freeze(monkeypatch, CLOSED_ON + dt.timedelta(days=days + 2))
    run(app)
    assert erased(app, clients) == {"old", "recent"}  # the open case is never touched


def test_the_period_is_configurable(
    app: Flask, clients: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "RETENTION_DAYS_AFTER_CLOSE", 30)
    freeze(monkeypatch, CLOSED_ON + dt.timedelta(days=31))
    run(app)
    assert erased(app, clients) == {"old"}
