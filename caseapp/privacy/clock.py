"""Today in Hà Nội, in one place, so retention can be tested with a frozen clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def hanoi_today() -> dt.date:
    """The date in Hà Nội now (the server clock is UTC)."""
    return dt.datetime.now(HANOI).date()
