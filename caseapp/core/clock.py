"""Today in Hà Nội, the date every rule and report of the programme is about."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def hanoi_today() -> dt.date:
    """Today in Hà Nội; the server clock is UTC, and from 17:00 UTC it is already tomorrow there."""
    return dt.datetime.now(HANOI).date()
