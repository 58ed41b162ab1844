"""Property: on random programmes, every published file leaves each suppressed cell k possible values.

The engine (caseapp/exports/suppression.py) and the auditor (tests/exports/auditor.py) are written apart:
the auditor recomputes every figure from plain records, replays each certificate point by point against
every file published from January on, and checks that no shown count is in 1..k-1.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseapp.exports.suppression import MIN_K, ThresholdTooLow, publish
from tests.exports.auditor import AuditFailure, audit
from tests.exports.synthetic import Programme, programmes

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


@settings(SETTINGS, max_examples=60)
@given(prog=programmes(months=2), k=st.sampled_from((5, 10)))
def test_january_and_february_published_together_protect_every_suppressed_cell(
    prog: Programme, k: int
) -> None:
    pub = publish(prog.year_data(), k)
    audit(pub, prog)
    assert set(pub.rows) == {1, 2}


@settings(SETTINGS, max_examples=25)
@given(prog=programmes(months=3, max_clients=60), k=st.sampled_from((5, 10)))
def test_three_months_of_year_to_date_figures_do_not_subtract_to_a_secret(prog: Programme, k: int) -> None:
    audit(publish(prog.year_data(), k), prog)


@settings(SETTINGS, max_examples=20)
@given(prog=programmes(months=2))
def test_each_month_is_published_as_it_was_then(prog: Programme) -> None:
    """February's run must not change January's file: the reader already holds it."""
    january = Programme(1, prog.cohorts, prog.outside, prog.clients, prog.registered)
    january.contacts = [c for c in prog.contacts if c[0] == 1]
    january.referrals = [
        (c, cat, m if m == 1 else 0, g if g == 1 else None) for c, cat, m, g in prog.referrals
    ]
    january.indicator = {
        c: (e if e == 1 else None, s if s == 1 else None) for c, (e, s) in prog.indicator.items()
    }
    january.registered = {c: (m if m <= 1 else 0) for c, m in prog.registered.items()}
    alone = publish(january.year_data(), 10)
    together = publish(prog.year_data(), 10)
    assert {ref: cell for ref, cell in together.cells.items() if ref[0] == 1} == alone.cells
    assert together.rows[1] == alone.rows[1]


def test_the_auditor_catches_a_leak() -> None:
    """A control: publishing a suppressed cell's value must fail the audit (the auditor is not blind)."""
    prog = Programme(1, {10: 2025, 11: 2026})
    for client in range(15):
        prog.clients[client] = 10 if client < 12 else 11
        prog.registered[client] = 1
        prog.contacts.append((1, prog.clients[client], client))
    pub = publish(prog.year_data(), 10)
    suppressed = [ref for ref, (_value, hidden) in pub.cells.items() if hidden]
    assert suppressed, "the fixture should need suppression"
    leaked = dict(pub.cells)
    value, _ = leaked[suppressed[0]]
    leaked[suppressed[0]] = (value, False)
    with pytest.raises(AuditFailure):
        audit(pub.__class__(**{**pub.__dict__, "cells": leaked}), prog)


def test_a_threshold_below_five_is_refused() -> None:
    with pytest.raises(ThresholdTooLow):
        publish(Programme(1, {10: 2025}).year_data(), MIN_K - 1)
