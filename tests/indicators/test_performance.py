"""Dashboards at scale: index use in query plans, a query count that does not grow, no case rows in Python."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from sqlalchemy import inspect

from caseapp.extensions import db
from caseapp.indicators.dashboard import build_dashboard
from caseapp.indicators.queries import Period
from caseapp.targets.queries import target_for
from caseapp.wards.queries import wards_by_code
from tests.conftest import using_postgres
from tests.indicators.bulk import generate, programme
from tests.query_counter import QueryLog, count_queries

CASE_MODELS = ("Client", "Contact", "Need", "Referral", "ReferralEvent", "Consent")
YTD = Period.ytd(dt.date(2026, 11, 28))


@pytest.fixture
def wards(app: Flask) -> list[int]:
    """Twelve programme wards with three years of generated history."""
    with app.app_context():
        codes = programme(12)
        generate(clients=600, contacts_per_client=8, wards=codes)
        return codes


def _plan(statement: str, parameters: object) -> list[str]:
    prefix = "EXPLAIN " if using_postgres() else "EXPLAIN QUERY PLAN "
    rows = db.session.connection().exec_driver_sql(prefix + statement, parameters).all()  # type: ignore[arg-type]
    return [str(row[-1]) for row in rows]


def _dashboard_statements(codes: list[int]) -> QueryLog:
    with count_queries() as log:
        build_dashboard(YTD, wards_by_code(set(codes)), target_for(2026))
    return log


def test_a_supervisors_dashboard_reads_contacts_through_indexes(app: Flask, wards: list[int]) -> None:
    with app.app_context():
        log = _dashboard_statements(wards[:3])
        on_contacts = [(s, p) for s, p in log.selects if re.search(r"\b(FROM|JOIN) contacts\b", s)]
        assert len(on_contacts) == 4  # contacts by ward, by month, and inside both milestone queries
        for statement, parameters in on_contacts:
            plan = "\n".join(_plan(statement, parameters))
            if using_postgres():
                assert "Seq Scan on contacts" not in plan, plan
                assert re.search(
                    r"Index (Only )?Scan using ix_contacts_|Bitmap Index Scan on ix_contacts_", plan
                ), plan
            else:
                # a SCAN of contacts (even of a whole index) would grow with all of history
                assert not re.search(r"\bSCAN contacts\b", plan), plan
                assert re.search(r"SEARCH contacts USING (COVERING )?INDEX ix_contacts_", plan), plan


@pytest.mark.skipif(using_postgres(), reason="PostgreSQL rightly prefers a sequential scan on a tiny table")
def test_the_city_dashboard_counts_contacts_from_the_covering_index(app: Flask, wards: list[int]) -> None:
    with app.app_context():
        log = _dashboard_statements(wards)
        counts = next(s for s, _ in log.selects if "anonymous" in s)
        params = next(p for s, p in log.selects if "anonymous" in s)
        assert any(
            "USING COVERING INDEX ix_contacts_ward_date_client" in line for line in _plan(counts, params)
        )


@pytest.mark.skipif(using_postgres(), reason="SQLite's planner, without statistics, is the one misled")
def test_needs_and_referrals_are_read_per_client_never_by_status_or_eligibility(
    app: Flask, wards: list[int]
) -> None:
    """An index on a column of two or six values made SQLite walk every eligible need or received referral
    for each client (the city dashboard at 20,000 clients: 331 s; per client: 1 s). Migration 0011."""
    with app.app_context():
        # the misleading indexes are gone for good (the plan below depended on SQLite's tie-breaks)
        indexed = {
            (table, tuple(index["column_names"]))
            for table in ("needs", "referrals")
            for index in inspect(db.engine).get_indexes(table)
        }
        assert not indexed & {("needs", ("eligible",)), ("referrals", ("status",))}
        log = _dashboard_statements(wards)
        for statement, parameters in log.selects:
            if not re.search(r"\b(FROM|JOIN) (needs|referrals)\b", statement):
                continue
            plan = "\n".join(_plan(statement, parameters))
            assert not re.search(r"\bSCAN (needs|referrals)\b", plan), plan
            for line in re.findall(r"SEARCH (?:needs|referrals)\w* USING [^\n]*", plan):
                assert "client_id" in line, plan


def _request(app: Flask, staff, url: str) -> QueryLog:  # type: ignore[no-untyped-def]
    with app.app_context(), count_queries() as log:
        assert staff.get(url).status_code == 200
    return log


def test_query_count_per_dashboard_does_not_grow_with_the_data(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        codes = programme(12)
        generate(clients=20, contacts_per_client=2, wards=codes, seed=1)
    supervisor = login_as("supervisor", wards=codes[:3])
    analyst = login_as("analyst")
    small = [_request(app, supervisor, "/indicators/"), _request(app, analyst, "/indicators/city")]
    with app.app_context():
        generate(clients=400, contacts_per_client=6, wards=codes, seed=2)
    large = [_request(app, supervisor, "/indicators/"), _request(app, analyst, "/indicators/city")]
    for before, after in zip(small, large, strict=True):
        assert after.count == before.count, [s[:80] for s, _ in after.queries]
        assert after.count <= 20
        # no client, contact, need or referral became a Python object: the database did the counting
        assert all(after.loaded(model) == 0 for model in CASE_MODELS), after.instances
