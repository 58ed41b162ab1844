"""Plain factories for test data; no magic, each returns a committed object."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from caseapp.core.access import Role
from caseapp.extensions import db
from caseapp.users.models import User
from caseapp.users.services import create_user
from caseapp.wards.services import set_cohort

PASSWORD = "correct horse battery"
_counter = itertools.count(1)

# two programme wards used throughout the tests (codes from the official list)
WARD_A = 4  # Phường Ba Đình
WARD_B = 8  # Phường Ngọc Hà


def make_user(
    role: str,
    *,
    wards: Iterable[int] = (WARD_A,),
    username: str | None = None,
    must_change_password: bool = False,
) -> User:
    """A user with the shared test password, ready to log in (no forced change unless asked)."""
    codes = list(wards) if role in ("worker", "supervisor") else []
    user, _ = create_user(
        username=username or f"{role}{next(_counter)}",
        display_name=f"Test {role}",
        role=Role(role),
        ward_codes=codes,
        password=PASSWORD,
    )
    user.must_change_password = must_change_password
    db.session.commit()
    return user


def programme_wards(cohort: int = 2025, codes: Iterable[int] = (WARD_A, WARD_B)) -> None:
    set_cohort(codes=list(codes), cohort=cohort)
