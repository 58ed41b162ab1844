"""Fixtures for the operations tests: empty databases to restore into, on SQLite or PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from caseapp.ops import postgres
from tests.conftest import using_postgres


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the kind the suite runs on (dropped afterwards on PostgreSQL)."""
    if not using_postgres():
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    with postgres.scratch_database(make_url(os.environ["DATABASE_URL"])) as url:
        yield url.render_as_string(hide_password=False)
