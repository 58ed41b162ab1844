"""Faults under load, each bounded in time, each asserting that nothing acknowledged was lost.

A real gunicorn with several workers serves a seeded deployment while simulated workers log contacts;
every acknowledged contact must be stored exactly once, with its audit event, and the chain intact.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from caseapp.core.crypto.keyring import KeyringDocument, write_keyring_file
from loadtest.deployment import GUNICORN_CONFIG, REPO, deployment, free_port, seed, start_server
from loadtest.driver import LoadRun
from tests.conftest import using_postgres
from tests.ops.serving import (
    WRITES,
    acknowledged,
    fill,
    health,
    own_postgres,
    remount,
    served,
    suite_database_server,
    tmpfs,
    truncate_wal,
    wait_for,
)

pytestmark = pytest.mark.slow
# a spare port for the PostgreSQL cluster this module stops and starts
OWN_PG_PORT = 54341


def test_sigkill_of_a_worker_mid_writes_loses_nothing_and_the_others_keep_serving(tmp_path: Path) -> None:
    with served(tmp_path, suite_database_server()) as s:
        load = s.load(seconds=7, prefix="KILL")
        assert wait_for(lambda: len(acknowledged(load)) >= 6, 20)  # everyone is logged in and writing
        victims = s.server.worker_pids()[:2]
        assert len(victims) == 2
        killed_at = time.monotonic()
        for pid in victims:
            os.kill(pid, signal.SIGKILL)  # in the middle of whatever it was writing
            time.sleep(0.7)
        load.finish()
        assert wait_for(lambda: len(s.server.worker_pids()) == 3, 30)  # the master replaced them
        assert not set(victims) & set(s.server.worker_pids())
        assert health(s.server) == 200
        check = s.check(load)

    answered_later = [x for x in load.stats.samples if x.at > killed_at + 2 and x.status == 302]
    assert answered_later, "the surviving workers kept serving writes"
    assert not [x for x in load.stats.samples if x.status >= 500]
    # requests the dead workers were handling got no answer; nothing else did
    assert sum(1 for x in load.stats.samples if x.status == 0) <= len(victims)
    assert check.acknowledged > 10
    assert check.ok, check


@pytest.mark.skipif(not using_postgres(), reason="runs in the PostgreSQL pass (it starts its own cluster)")
def test_postgresql_restart_under_load_gives_clean_503s_then_recovers_by_itself(tmp_path: Path) -> None:
    with own_postgres(OWN_PG_PORT) as pg, served(tmp_path, pg.url) as s:
        load = s.load(seconds=13, prefix="PGRESTART")
        assert wait_for(lambda: len(acknowledged(load)) >= 6, 20)
        pg.stop()
        down_at = time.monotonic()
        assert wait_for(lambda: health(s.server) == 503, 10)
        time.sleep(2)
        pg.start()
        up_at = time.monotonic()
        assert wait_for(lambda: health(s.server) == 200, 20)  # no restart of the app
        load.finish()
        check = s.check(load)
        log = s.server.log_text()

    samples = load.stats.samples
    during = [x.status for x in samples if down_at + 0.5 < x.at < up_at]
    assert 503 in during, "requests during the outage were answered 503"
    assert not [x for x in samples if x.status >= 500 and x.status != 503], "only 503, never a 500"
    assert not [x for x in samples if x.status == 0], "gunicorn itself kept answering"
    assert [x for x in samples if x.at > up_at + 1 and x.status == 302], "writes succeed again"
    assert "database unavailable: OperationalError" in log and "Traceback" not in log
    assert check.acknowledged > 10
    assert check.ok, check


def refused_starts(envs: list[dict[str, str]]) -> list[str]:
    """Start the production app under gunicorn once per environment, all at once; each must exit before
    binding its port. Returns their outputs."""
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                GUNICORN_CONFIG,
                "--bind",
                f"127.0.0.1:{free_port()}",
                "wsgi:app",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for env in envs
    ]
    outputs = []
    for process in processes:
        output, _ = process.communicate(timeout=90)
        assert process.returncode != 0, output
        assert "Listening at" not in output and "Booting worker" not in output  # never bound, never served
        assert "Traceback" not in output
        outputs.append(output)
    return outputs


def test_missing_or_wrong_key_ring_stops_the_app_before_it_serves(tmp_path: Path) -> None:
    with deployment(tmp_path, suite_database_server()) as dep:
        seed(dep, workers=1, supervisors=0, fast_passwords=True)
        wrong = tmp_path / "other-keyring.json"
        write_keyring_file(wrong, KeyringDocument.generate())
        missing = {**dep.env(), "CASEAPP_KEYRING_FILE": str(tmp_path / "nowhere" / "keyring.json")}
        other = {**dep.env(), "CASEAPP_KEYRING_FILE": str(wrong)}
        broken = {**dep.env(), "CASEAPP_KEYRING": '{"format": "not a key ring"}'}
        outputs = refused_starts([missing, other, broken])

    assert "Error: No encryption key ring" in outputs[0]
    assert "WRONG key ring for this database" in outputs[1]
    assert "Error: The key ring in CASEAPP_KEYRING is not valid" in outputs[2]


@pytest.mark.skipif(
    using_postgres(), reason="the database directory is SQLite's; PostgreSQL's is its server's"
)
def test_full_disk_gives_a_clear_503_loses_nothing_and_recovers_when_space_is_freed(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'db'}/caseapp.sqlite3"
    with tmpfs(tmp_path / "db", "48m") as disk, served(tmp_path, database, server_workers=2) as s:
        load = s.load(seconds=2.5, prefix="FULL").finish()
        before = len(acknowledged(load))
        truncate_wal(disk / "caseapp.sqlite3")
        filler = fill(disk)
        full_at = time.monotonic()
        load.again(seconds=2).finish()
        filler.unlink()
        freed_at = time.monotonic()
        load.again(seconds=2.5).finish()
        check = s.check(load)
        log = s.server.log_text()

    during = [x for x in load.stats.samples if full_at < x.at < freed_at]
    assert before > 3 and [w for w in load.writes if w.at > freed_at and w.acknowledged]
    assert not [w for w in load.writes if full_at < w.at < freed_at and w.acknowledged]
    assert [x for x in during if x.status == 503] and not [x for x in load.stats.samples if x.status == 500]
    assert (
        "database unavailable: OperationalError (SQLITE_FULL: the disk holding the database is full)" in log
    )
    assert check.ok, check


@pytest.mark.skipif(
    using_postgres(), reason="the database directory is SQLite's; PostgreSQL's is its server's"
)
def test_read_only_database_directory_gives_a_clear_503_and_loses_nothing(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "db", "48m") as disk:
        database = f"sqlite:///{disk}/caseapp.sqlite3"
        with served(tmp_path, database, server_workers=2) as s:
            load = s.load(seconds=2.5, prefix="RO").finish()
            stored_before = s.check(load)
        remount(disk, "ro")  # as after a disk error; the server is restarted on it
        with deployment(tmp_path, database) as dep:
            dep.staff, dep.secret_key = s.dep.staff, s.dep.secret_key
            server = start_server(dep, workers=2, healthy=False)
            try:
                assert health(server) == 503
                refused = LoadRun(server.url, dep.staff, list(WRITES), "RO2", 2, 200).start().finish()
                remount(disk, "rw")
                assert wait_for(lambda: health(server) == 200, 20)  # no restart needed
                log = server.log_text()
            finally:
                server.stop()
        check = s.check(load)

    assert stored_before.acknowledged > 3 and stored_before.ok
    assert not [w for w in refused.writes if w.acknowledged]
    statuses = {x.status for x in refused.stats.samples}
    assert 503 in statuses and statuses <= {200, 503}  # pages that need no database still open
    assert "database unavailable" in log and "its directory is read-only" in log and "Traceback" not in log
    assert check.ok and check.acknowledged == stored_before.acknowledged, check
