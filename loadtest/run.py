"""Load and soak test: drive a gunicorn it starts itself, then check every acknowledged write landed once.

    .venv/bin/python -m loadtest.run --seconds 20 --workers 6 --supervisors 2
    .venv/bin/python -m loadtest.run --database-url postgresql://postgres:PW@127.0.0.1:5432/postgres

Loopback only. Bounded by time (--seconds) and by requests (--max-requests), whichever comes first. With a
PostgreSQL URL, a new database is created on that server for the run and dropped afterwards. Exit status
0 when no request got a 5xx or no answer, and no acknowledged write is missing or stored twice.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask import Flask

from loadtest import scenarios as scenario_module
from loadtest.deployment import Deployment, deployment, require_loopback, seed, start_server
from loadtest.driver import LoadRun, Sample
from loadtest.scenarios import Scenario, WriteScenario


@dataclass
class LoadConfig:
    seconds: float = 15.0
    max_requests: int = 20_000
    workers: int = 4
    supervisors: int = 2
    server_workers: int = 3
    think: float = 0.0
    host: str = "127.0.0.1"
    database_url: str | None = None


@dataclass
class WriteCheck:
    """Acknowledged writes against the database: each must be stored exactly once."""

    attempted: int = 0
    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    stored_unacknowledged: int = 0
    audit_chain_ok: bool = True
    partial_records: int = 0

    @property
    def ok(self) -> bool:
        return not self.lost and not self.duplicated and self.audit_chain_ok and not self.partial_records


@dataclass
class Report:
    requests: int
    seconds: float
    statuses: dict[str, int]
    errors: dict[str, int]
    latency_ms: dict[str, float]
    by_scenario: dict[str, dict[str, float]]
    scenarios_skipped: list[str]
    writes: WriteCheck
    machine: dict[str, str]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status.startswith("5"))

    @property
    def unanswered(self) -> int:
        return self.statuses.get("no response", 0)

    @property
    def refused(self) -> int:
        """Forms or logins the app turned down: the scenario no longer fits the app (fix the scenario)."""
        return sum(n for error, n in self.errors.items() if "refused" in error)

    @property
    def ok(self) -> bool:
        return not self.server_errors and not self.unanswered and not self.refused and self.writes.ok

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "throughput": round(self.throughput, 1), "ok": self.ok}

    def text(self) -> str:
        w, lat = self.writes, self.latency_ms
        lines = [
            f"requests {self.requests} in {self.seconds:.1f} s = {self.throughput:.1f}/s; "
            f"latency p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms, p99 {lat['p99']:.0f} ms, "
            f"max {lat['max']:.0f} ms",
            f"statuses {dict(sorted(self.statuses.items()))}; errors {dict(self.errors) or 'none'}",
            *(
                f"  {name}: {v['n']:.0f} requests, p50 {v['p50_ms']:.0f} ms, p95 {v['p95_ms']:.0f} ms"
                for name, v in self.by_scenario.items()
            ),
            f"writes: {w.attempted} attempted, {w.acknowledged} acknowledged, {len(w.lost)} lost, "
            f"{len(w.duplicated)} duplicated, {w.stored_unacknowledged} stored but unacknowledged; "
            f"audit chain {'intact' if w.audit_chain_ok else 'BROKEN'}; partial records {w.partial_records}",
        ]
        lines.append(f"machine: {self.machine}")
        if self.scenarios_skipped:
            lines.append(f"not run (pages not in this app yet): {', '.join(self.scenarios_skipped)}")
        lines.append("RESULT: " + ("PASS" if self.ok else "FAIL"))
        return "\n".join(lines)


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def check_writes(app: Flask, run: LoadRun, write_scenarios: list[WriteScenario]) -> WriteCheck:
    """Every acknowledged token stored exactly once; none stored twice; the audit trail whole."""
    stored: Counter[str] = Counter()
    for scenario in write_scenarios:
        stored.update(scenario.stored(app, run.prefix))
    writes = run.writes
    acked = {w.token for w in writes if w.acknowledged}
    check = WriteCheck(attempted=len(writes), acknowledged=len(acked))
    check.lost = sorted(t for t in acked if stored[t] == 0)
    check.duplicated = sorted(t for t, n in stored.items() if n > 1)
    check.stored_unacknowledged = sum(1 for w in writes if not w.acknowledged and stored[w.token])
    check.audit_chain_ok, check.partial_records = integrity(app)
    return check


def integrity(app: Flask) -> tuple[bool, int]:
    """The audit chain verifies, and every contact has its audit event (one transaction, never half)."""
    from sqlalchemy import func, select

    from caseapp.contacts.models import Contact
    from caseapp.core.audit import AuditEvent, verify_chain
    from caseapp.extensions import db

    with app.app_context():
        chain_ok = verify_chain().ok
        contacts = db.session.scalar(select(func.count()).select_from(Contact)) or 0
        events = db.session.scalar(select(func.count()).where(AuditEvent.action == "contact.created")) or 0
        db.session.remove()
    return chain_ok, abs(contacts - events)


def by_scenario(samples: list[Sample]) -> dict[str, dict[str, float]]:
    """Count and latency of each kind of request."""
    names = sorted({s.name for s in samples})
    result: dict[str, dict[str, float]] = {}
    for name in names:
        mine = sorted(s.seconds * 1000 for s in samples if s.name == name and s.status)
        count = sum(1 for s in samples if s.name == name)
        result[name] = {
            "n": count,
            "p50_ms": round(percentile(mine, 50)),
            "p95_ms": round(percentile(mine, 95)),
        }
    return result


def report_of(
    run: LoadRun, check: WriteCheck, skipped: list[str], dep: Deployment, load_before: str
) -> Report:
    samples = run.stats.samples
    latencies = sorted(s.seconds * 1000 for s in samples if s.status)
    statuses = Counter(str(s.status) if s.status else "no response" for s in samples)
    return Report(
        requests=len(samples),
        seconds=run.finished_at - run.started_at,
        statuses=dict(statuses),
        errors=dict(run.stats.errors),
        latency_ms={
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99),
            "max": latencies[-1] if latencies else 0.0,
        },
        by_scenario=by_scenario(samples),
        scenarios_skipped=skipped,
        writes=check,
        machine=machine(dep, load_before),
    )


def machine(dep: Deployment, load_before: str) -> dict[str, str]:
    """What the figures were measured on; the load average shows how much else the machine was doing."""
    return {
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "database": dep.dialect,
        "load average before": load_before,
        "load average after": load_average(),
    }


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run(config: LoadConfig, workdir: Path | None = None, *, fast_passwords: bool = False) -> Report:
    """Set up, serve, drive, stop and check: the whole load test."""
    require_loopback(config.host, "the server")
    with tempfile.TemporaryDirectory(prefix="caseapp-load-") as tmp:
        work = workdir or Path(tmp)
        with deployment(work, config.database_url) as dep:
            seed(dep, workers=config.workers, supervisors=config.supervisors, fast_passwords=fast_passwords)
            app = dep.app()
            usable = scenario_module.available(app)
            skipped = [s.name for s in scenario_module.ALL if s not in usable]
            server = start_server(dep, workers=config.server_workers, host=config.host)
            load_before = load_average()
            try:
                load = drive(server.url, dep, usable, config).finish()
            finally:
                server.stop()
            check = check_writes(app, load, [s for s in usable if isinstance(s, WriteScenario)])
            _dispose(app)
            return report_of(load, check, skipped, dep, load_before)


def drive(url: str, dep: Deployment, usable: list[Scenario], config: LoadConfig) -> LoadRun:
    prefix = f"LT{secrets.token_hex(4)}"
    return LoadRun(url, dep.staff, usable, prefix, config.seconds, config.max_requests, config.think).start()


def _dispose(app: Flask) -> None:
    from caseapp.extensions import db

    with app.app_context():
        db.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="how long to drive the server")
    parser.add_argument("--max-requests", type=int, default=20_000, help="stop after this many requests")
    parser.add_argument("--workers", type=int, default=4, help="simulated social workers")
    parser.add_argument("--supervisors", type=int, default=2, help="simulated supervisors")
    parser.add_argument("--server-workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between actions, seconds")
    parser.add_argument("--host", default="127.0.0.1", help="loopback only: 127.0.0.1 or localhost")
    parser.add_argument("--database-url", help="a PostgreSQL server to create the run's database on")
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    args = parser.parse_args(argv)
    config = LoadConfig(
        seconds=args.seconds,
        max_requests=args.max_requests,
        workers=args.workers,
        supervisors=args.supervisors,
        server_workers=args.server_workers,
        think=args.think,
        host=args.host,
        database_url=args.database_url,
    )
    report = run(config)
    print(report.text())
    if args.json:
        args.json.write_text(json.dumps(report.as_dict(), indent=2, default=str) + "\n", encoding="utf-8")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
