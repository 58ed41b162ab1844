"""Reach against the plan's targets, cumulative by month, and ward coverage: figures worked out by hand."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask

from caseapp.activities.models import TargetMeasure
from caseapp.activities.reach import reach_report
from caseapp.activities.services import set_targets
from caseapp.activities.targets import PLAN_2026, targets_for
from caseapp.extensions import db
from tests.activities.helpers import TODAY, WARD_C, WARD_D, make_activity, seed_2025
from tests.factories import WARD_A, WARD_B, make_user

# seed_2025(), by hand. Awareness (every kind but training courses), per audience group:
#   residents 40 (A, Jan) + 60 (B, Mar) = 100; students 500 (A, Jan) + 1000 (D, Apr) = 1500;
#   industrial-park workers 300 (B, Feb); establishment workers 12 (A, Mar); staff/volunteers 0.
# Trainings: 30 (A, Mar) + 25 residents (B, Mar: a training, so not awareness) + 20 (C, Mar) = 75, 3 courses.
# Coverage: wards with an awareness activity in 2025 = A, B, D (C had only a training) -> 3 of 126.
CITY_TOTALS = {
    "residents": 100,
    "establishment_workers": 12,
    "industrial_park_workers": 300,
    "students": 1500,
    "staff_volunteers": 0,
}
CITY_CUMULATIVE = {
    "residents": [40, 40, 100] + [100] * 9,
    "establishment_workers": [0, 0, 12] + [12] * 9,
    "industrial_park_workers": [0, 300, 300] + [300] * 9,
    "students": [500, 500, 500] + [1500] * 9,
    "staff_volunteers": [0] * 12,
}


def by_key(report):  # type: ignore[no-untyped-def]
    return {m.key: m for m in report.audiences}


def test_city_reach_coverage_and_trainings_for_an_analyst(app: Flask) -> None:
    with app.app_context():
        seed_2025()
        report = reach_report(make_user("analyst"), 2025, today=TODAY)
        measures = by_key(report)
        assert {k: m.total for k, m in measures.items()} == CITY_TOTALS
        assert {k: m.cumulative for k, m in measures.items()} == CITY_CUMULATIVE
        assert measures["residents"].target == 5_300 and measures["staff_volunteers"].target is None
        assert round(measures["students"].percent or 0, 2) == 1.5
        assert (report.trained.total, report.training_courses, report.trained.target) == (75, 3, 6_000)
        assert report.trained.cumulative == [0, 0, 75] + [75] * 9
        cover = report.coverage
        assert (cover.covered, cover.total, cover.target) == (3, 126, 126)
        uncovered = {code for code, _name in cover.uncovered}
        assert len(uncovered) == 123 and WARD_C in uncovered and not {WARD_A, WARD_B, WARD_D} & uncovered
        assert report.city_wide and report.months_shown == 12


def test_worker_sees_their_wards_figures_only(app: Flask) -> None:
    with app.app_context():
        seed_2025()
        report = reach_report(make_user("worker", wards=[WARD_A, WARD_C]), 2025, today=TODAY)
        totals = {m.key: m.total for m in report.audiences}
        assert totals == {
            **dict.fromkeys(CITY_TOTALS, 0),
            "residents": 40,
            "students": 500,
            "establishment_workers": 12,
        }
        assert (report.trained.total, report.training_courses) == (50, 2)
        assert (report.coverage.covered, report.coverage.total) == (1, 2)
        assert report.coverage.uncovered == [(WARD_C, "Phường Hoàn Kiếm")]
        assert not report.city_wide


def test_the_current_year_shows_months_up_to_now(app: Flask) -> None:
    with app.app_context():
        make_activity(on=dt.date(2026, 2, 3), participants=7)
        report = reach_report(make_user("analyst"), 2026, today=dt.date(2026, 4, 30))
        assert report.months_shown == 4 and by_key(report)["residents"].cumulative == [0, 7, 7, 7]
        assert reach_report(make_user("analyst"), 2025, today=dt.date(2026, 4, 30)).months_shown == 12


def test_targets_default_to_the_plan_and_admins_change_them(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        assert targets_for(2026) == PLAN_2026
        assert PLAN_2026[TargetMeasure.STUDENTS] == 100_000 and PLAN_2026[TargetMeasure.WARD_COVERAGE] == 126
    admin = login_as("admin")
    page = admin.get("/activities/targets?year=2026").get_data(as_text=True)
    assert 'value="60000"' in page and 'value="5300"' in page
    values = {m.value: str(v) if v is not None else "" for m, v in PLAN_2026.items()}
    response = admin.post(
        "/activities/targets?year=2026", {**values, "students": "90000", "staff_volunteers": "500"}
    )
    assert response.status_code == 302
    with app.app_context():
        stored = targets_for(2026)
        assert stored[TargetMeasure.STUDENTS] == 90_000 and stored[TargetMeasure.STAFF_VOLUNTEERS] == 500
        assert stored[TargetMeasure.RESIDENTS] == 5_300 and targets_for(2025) == PLAN_2026
        from caseapp.core.audit import AuditEvent

        event = AuditEvent.query.filter_by(action="activity_targets.updated").one()
        assert event.details["fields"] == ["staff_volunteers", "students"]


def test_targets_refuse_negatives_and_too_many_wards(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")
    values = {m.value: str(v) if v is not None else "" for m, v in PLAN_2026.items()}
    page = admin.post("/activities/targets?year=2026", {**values, "ward_coverage": "127"}).get_data(
        as_text=True
    )
    assert "không được vượt quá" in page
    admin.post("/activities/targets?year=2026", {**values, "residents": "-1"})
    with app.app_context():
        assert targets_for(2026) == PLAN_2026
        import pytest

        from caseapp.activities.services import TargetInvalid

        with pytest.raises(TargetInvalid):
            set_targets(actor=None, year=2024, values={TargetMeasure.RESIDENTS: 1})


def test_only_admins_edit_targets(login_as) -> None:  # type: ignore[no-untyped-def]
    for role in ("worker", "supervisor", "analyst"):
        user = login_as(role)
        assert user.get("/activities/targets").status_code == 403
        assert user.post("/activities/targets", {"residents": "1"}).status_code == 403


def cell(page: str, measure: str) -> str:
    match = re.search(rf'data-measure="{measure}">.*?<td class="num">([^<]*)</td>', page, re.S)
    assert match, measure
    return match.group(1)


def test_the_dashboard_shows_the_figures_chart_and_table(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        seed_2025()
    analyst = login_as("analyst")
    page = analyst.get("/activities/reach?year=2025").get_data(as_text=True)
    assert cell(page, "students") == "1.500" and cell(page, "residents") == "100"  # Vietnamese digit grouping
    assert cell(page, "trained") == "75"
    assert "3/126 phường/xã" in page and "Phường Hoàn Kiếm" in page
    assert "<svg" in page and "<polyline" in page and 'id="monthly-table"' in page
    assert page.count("<tr><td>") == 12  # one row per month of a past year
    assert "<script" not in page and "http" not in page.split("<body>")[1].replace("http-equiv", "")
    english = analyst.get("/lang/en", follow_redirects=False)
    assert english.status_code == 302
    page = analyst.get("/activities/reach?year=2025").get_data(as_text=True)
    assert cell(page, "students") == "1,500" and "3 of 126 wards" in page


def test_the_dashboard_scopes_a_worker_and_says_so(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        seed_2025()
    worker = login_as("worker", wards=[WARD_B])
    page = worker.get("/activities/reach?year=2025").get_data(as_text=True)
    assert cell(page, "residents") == "60" and cell(page, "students") == "0" and cell(page, "trained") == "25"
    assert "chỉ gồm các phường/xã bạn phụ trách" in page and "1/1 phường/xã" in page


def test_aggregates_are_grouped_by_the_database(app: Flask) -> None:
    from sqlalchemy import event

    statements: list[str] = []
    with app.app_context():
        seed_2025()
        user = make_user("analyst")

        def capture(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            reach_report(user, 2025, today=TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
    # activity rows are never loaded: only grouped figures and distinct ward codes leave the database
    assert any("GROUP BY" in s and "FROM activities" in s for s in statements)
    assert not [s for s in statements if "activities.topic" in s or "activities.participants AS" in s]
