"""A small, hand-checked programme (2026) used by the indicator tests; every expected figure is derived below.

Ward A and B are in the 2025 cohort, ward C in the 2026 cohort. Dates are 2026 unless written otherwise.

client ward eligible needs (decided)   contacts       referrals                        March den / num
c1     A    legal (05/01)               10/02          legal received 15/03             in / in
c2     A    health, psychological       20/01          health 01/02, psych. 01/03 rec.  in / in, once
c3     A    vocational NOT eligible     10/01          vocational received 20/01        out: no eligible need
c4     A    legal (05/01)               10/01          legal received 02/04             in / out: after P
c5     A    legal (05/01)               20/12/2025     -                                out: no contact 2026
c6     A    health (05/01)              05/03          legal received 10/03             in / out: other categ.
c7     B    social_assistance (01/04)   10/03          social_assist. received 15/03    out: decided after P
c8     B    job_placement (10/02)       12/02          job_placement rec. 01/11/2025    in / in: no lower date
c9     C    legal (01/02)               03/03          legal accepted 05/03             in / out: not received
c10    C    health (05/01)              15/03          health received 20/03            in / in
anonymous contacts in ward A: 14/02, 02/03, 15/03, 31/03, 01/04

March 2026 (= year to date at 31/03): A 4/2, B 1/1, C 2/1, city 7/4; cohort 2025 5/3, cohort 2026 2/1.
Entered the denominator (later of first contact and first eligible decision): c1 10/02, c2 20/01, c4 10/01,
c6 05/03, c8 12/02, c9 03/03, c10 15/03; the numerator: c2 01/02, c8 12/02, c1 15/03, c10 20/03.
So at the end of January 2/0, February 4/2, March 7/4.
Contacts: January 3 (c2 c3 c4), February 3 (c1, anon., c8), March 7 (c6, 3 anon., c7, c9, c10).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseapp.clients.models import Client
from tests.factories import (
    WARD_A,
    WARD_B,
    make_client,
    make_contact,
    make_need,
    make_referral,
    programme_wards,
)

WARD_C = 25  # Phường Giảng Võ, in the 2026 cohort here


def d(day: int, month: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


@dataclass
class Scenario:
    clients: dict[str, Client]


def build() -> Scenario:
    """Insert the programme above (needs an app context)."""
    programme_wards(2025, [WARD_A, WARD_B])
    programme_wards(2026, [WARD_C])
    c = {name: make_client(ward) for name, ward in _WARDS.items()}
    for name, category, decided, eligible in _NEEDS:
        make_need(c[name], category, eligible=eligible, decided_on=decided)
    for name, on, ward in _CONTACTS:
        make_contact(on, client=c[name] if name else None, ward=ward)
    for name, category, status, on in _REFERRALS:
        make_referral(c[name], category, status=status, referred_on=min(on, d(1, 1)), on=on)
    return Scenario(c)


_WARDS = {
    "c1": WARD_A,
    "c2": WARD_A,
    "c3": WARD_A,
    "c4": WARD_A,
    "c5": WARD_A,
    "c6": WARD_A,
    "c7": WARD_B,
    "c8": WARD_B,
    "c9": WARD_C,
    "c10": WARD_C,
}
_NEEDS = [
    ("c1", "legal", d(5, 1), True),
    ("c2", "health", d(5, 1), True),
    ("c2", "psychological", d(5, 1), True),
    ("c3", "vocational_training", d(5, 1), False),
    ("c4", "legal", d(5, 1), True),
    ("c5", "legal", d(5, 1), True),
    ("c6", "health", d(5, 1), True),
    ("c7", "social_assistance", d(1, 4), True),
    ("c8", "job_placement", d(10, 2), True),
    ("c9", "legal", d(1, 2), True),
    ("c10", "health", d(5, 1), True),
]
_CONTACTS: list[tuple[str | None, dt.date, int | None]] = [
    ("c1", d(10, 2), None),
    ("c2", d(20, 1), None),
    ("c3", d(10, 1), None),
    ("c4", d(10, 1), None),
    ("c5", d(20, 12, 2025), None),
    ("c6", d(5, 3), None),
    ("c7", d(10, 3), None),
    ("c8", d(12, 2), None),
    ("c9", d(3, 3), None),
    ("c10", d(15, 3), None),
    (None, d(14, 2), WARD_A),
    (None, d(2, 3), WARD_A),
    (None, d(15, 3), WARD_A),
    (None, d(31, 3), WARD_A),
    (None, d(1, 4), WARD_A),
]
_REFERRALS = [
    ("c1", "legal", "received", d(15, 3)),
    ("c2", "health", "received", d(1, 2)),
    ("c2", "psychological", "received", d(1, 3)),
    ("c3", "vocational_training", "received", d(20, 1)),
    ("c4", "legal", "received", d(2, 4)),
    ("c6", "legal", "received", d(10, 3)),
    ("c7", "social_assistance", "received", d(15, 3)),
    ("c8", "job_placement", "received", d(1, 11, 2025)),
    ("c9", "legal", "accepted", d(5, 3)),
    ("c10", "health", "received", d(20, 3)),
]
