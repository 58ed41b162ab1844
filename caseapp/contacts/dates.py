"""The range of dates a record can plausibly carry (today in Hà Nội is caseapp.core.clock's)."""

from __future__ import annotations

import datetime as dt


def earliest_plausible(today: dt.date) -> dt.date:
    """1 January of last year: older dates are almost always typos (2016 for 2026), not late entries."""
    return dt.date(today.year - 1, 1, 1)
