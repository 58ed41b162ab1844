"""Report how many cases the access matrix checked, at the end of the run."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.security.matrix import TALLY

    if not TALLY.cases:
        return
    roles = ", ".join(f"{role} {count}" for role, count in sorted(TALLY.by_role.items()))
    terminalreporter.write_sep("-", "access matrix")
    terminalreporter.write_line(
        f"access matrix: {TALLY.cases} cases checked in {TALLY.requests} requests ({roles})"
    )
