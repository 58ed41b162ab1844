"""The programme's calendar: today in Hà Nội, and the range of dates a record can plausibly carry."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def hanoi_today() -> dt.date:
    """Today in Hà Nội; the server clock is UTC, and from 17:00 UTC it is already tomorrow there."""
    return dt.datetime.now(HANOI).date()


def earliest_plausible(today: dt.date) -> dt.date:
    """1 January of last year: older dates are almost always typos (2016 for 2026), not late entries."""
    return dt.date(today.year - 1, 1, 1)
