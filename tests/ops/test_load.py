"""The load test, short and bounded: zero 5xx, every acknowledged write stored exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from loadtest import scenarios
from loadtest.deployment import LoopbackOnly, deployment, start_server
from loadtest.run import LoadConfig, percentile, run
from tests.ops.serving import suite_database_server


@pytest.mark.slow
def test_short_load_run_has_no_server_error_and_loses_no_write(tmp_path: Path) -> None:
    config = LoadConfig(
        seconds=10, max_requests=4000, workers=4, supervisors=2, database_url=suite_database_server()
    )
    report = run(config, workdir=tmp_path, fast_passwords=True)
    assert report.server_errors == 0 and report.unanswered == 0, report.text()
    assert report.writes.acknowledged >= 10 and report.writes.attempted == report.writes.acknowledged
    assert not report.writes.lost and not report.writes.duplicated
    assert report.writes.audit_chain_ok and report.writes.partial_records == 0
    assert {"anonymous contact", "client contact", "supervisor dashboard"} <= set(report.by_scenario)
    assert report.ok, report.text()
    assert "RESULT: PASS" in report.text()


@pytest.mark.parametrize("host", ["10.0.0.5", "example.org", "0.0.0.0"])  # noqa: S104
def test_only_loopback_is_ever_driven(host: str, tmp_path: Path) -> None:
    with pytest.raises(LoopbackOnly):
        run(LoadConfig(host=host, seconds=1), workdir=tmp_path)
    with deployment(tmp_path) as dep, pytest.raises(LoopbackOnly):
        start_server(dep, host=host)


def test_a_database_elsewhere_is_refused(tmp_path: Path) -> None:
    remote = "postgresql://caseapp:pw@db.example.org:5432/caseapp"
    with pytest.raises(LoopbackOnly), deployment(tmp_path, remote):
        pass


def test_percentiles() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (50.0, 95.0, 99.0)
    assert percentile([], 50) == 0.0


def test_a_scenario_runs_only_when_the_app_has_its_pages() -> None:
    without = Flask(__name__)
    without.add_url_rule("/contacts/new", "contacts.new", lambda: "", methods=["GET", "POST"])
    with_page = Flask(__name__)
    with_page.add_url_rule("/clients/new", "clients.register", lambda: "", methods=["GET", "POST"])
    registration = scenarios.ClientRegistration()
    assert not registration.available(without) and registration.available(with_page)
    assert scenarios.ClientContact().available(without) and not scenarios.ClientContact().available(with_page)
