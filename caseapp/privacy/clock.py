"""Today in Hà Nội for the privacy services, which look it up here at each call: a test freezes it here."""

from __future__ import annotations

from caseapp.core.clock import hanoi_today as hanoi_today
