"""Supervisor and city dashboards: scope, roles, figures on the page, sorting, charts, no client links."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask

from caseapp.indicators.charts import monthly_chart, nice_ceiling
from caseapp.indicators.dashboard import WardFigures, sort_wards
from caseapp.indicators.queries import MonthPoint
from tests.factories import WARD_A, WARD_B
from tests.indicators.scenario import WARD_C, build

MARCH = "kind=month&year=2026&month=3"


@pytest.fixture
def scenario(app: Flask) -> dict[str, str]:
    """The hand-checked programme; returns the client codes by name."""
    with app.app_context():
        return {name: client.code for name, client in build().clients.items()}


def _cells(page: str, label: str) -> list[str]:
    """The cells of the table row whose first cell is `label` (tags stripped)."""
    row = re.search(rf"<tr><td>{re.escape(label)}</td>(.*?)</tr>", page, re.S)
    assert row, f"no row {label!r}"
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


@pytest.mark.usefixtures("scenario")
def test_supervisor_sees_their_wards_figures_only(login_as) -> None:  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[WARD_A, WARD_B])
    response = supervisor.get(f"/indicators/?{MARCH}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Bảng theo dõi" in page
    # ward A: 4 contacts (3 anonymous), 2 of 4 used a service; ward B 1 contact, 1 of 1
    assert _cells(page, "Phường Ba Đình") == ["2025", "4", "3", "2", "4", "50,0 %"]
    assert _cells(page, "Phường Ngọc Hà") == ["2025", "1", "0", "1", "1", "100,0 %"]
    assert "Phường Giảng Võ" not in page  # ward C belongs to someone else
    assert "3 trong số 5 người" in page  # the indicator over their two wards: 3 of 5
    assert page.count("<svg") >= 3 and "<table" in page  # two meters and the chart, each with text or a table


@pytest.mark.usefixtures("scenario")
def test_analyst_sees_every_ward_and_no_client(login_as, scenario) -> None:  # type: ignore[no-untyped-def]
    analyst = login_as("analyst")
    page = analyst.get(f"/indicators/city?{MARCH}").get_data(as_text=True)
    assert _cells(page, "Phường Giảng Võ") == ["2026", "2", "0", "1", "2", "50,0 %"]
    assert "4 trong số 7 người" in page
    assert "Phường Hoàn Kiếm" not in page  # outside the programme and without figures: not listed
    for code in scenario.values():
        assert code not in page
    assert "/clients/" not in page and "client_id" not in page


def test_an_analyst_asking_for_a_client_gets_404(app: Flask, login_as, scenario) -> None:  # type: ignore[no-untyped-def]
    from caseapp.clients.models import Client

    with app.app_context():
        client_id = Client.query.filter_by(code=scenario["c1"]).one().id
    analyst = login_as("analyst")
    assert analyst.get(f"/clients/{client_id}").status_code == 404
    assert login_as("supervisor", wards=[WARD_A]).get(f"/clients/{client_id}").status_code == 200


def test_roles(login_as) -> None:  # type: ignore[no-untyped-def]
    for role, dashboard, city in (
        ("supervisor", 200, 403),
        ("analyst", 403, 200),
        ("worker", 403, 403),
        ("admin", 403, 403),
    ):
        staff = login_as(role)
        assert staff.get("/indicators/").status_code == dashboard, role
        assert staff.get("/indicators/city").status_code == city, role


def test_a_supervisor_without_cases_gets_zeros_not_errors(login_as) -> None:  # type: ignore[no-untyped-def]
    page = login_as("supervisor", wards=[WARD_C]).get("/indicators/").get_data(as_text=True)
    assert "Phường Giảng Võ" in page and "—" in page


@pytest.mark.usefixtures("scenario")
def test_ward_table_sorts_by_any_whitelisted_column(login_as) -> None:  # type: ignore[no-untyped-def]
    analyst = login_as("analyst")

    def order(query: str) -> list[str]:
        page = analyst.get(f"/indicators/city?{MARCH}&{query}").get_data(as_text=True)
        body = page.split('id="ward-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
        return re.findall(r"<tr><td>([^<]+)</td>", body)

    a, b, c = "Phường Ba Đình", "Phường Ngọc Hà", "Phường Giảng Võ"
    assert order("sort=contacts&dir=desc") == [a, c, b]
    assert order("sort=contacts&dir=asc") == [b, c, a]
    assert order("sort=percent&dir=desc") == [b, a, c]  # ties keep the ward order
    assert order("sort=ward") == [a, c, b]  # Vietnamese order: Ba Đình, Giảng Võ, Ngọc Hà
    assert order("sort=name;drop table wards&dir=sideways") == [a, c, b]  # not whitelisted: default order


@pytest.mark.usefixtures("scenario")
def test_period_picker_and_bad_parameters(login_as) -> None:  # type: ignore[no-untyped-def]
    analyst = login_as("analyst")
    quarter = analyst.get("/indicators/city?kind=quarter&year=2026&quarter=1").get_data(as_text=True)
    assert "Quý 1/2026" in quarter and "4 trong số 7 người" in quarter
    april = analyst.get("/indicators/city?kind=month&year=2026&month=4").get_data(as_text=True)
    assert "Tháng 4/2026" in april and "6 trong số 8 người" in april
    for bad in (
        "kind=month&year=2026&month=13",
        "kind=week",
        "year=abc",
        "kind=month&year=1990&month=1",
        "_method=DELETE&_external=1&_scheme=javascript",  # url_for's options must not come from the URL
    ):
        response = analyst.get(f"/indicators/city?{bad}")
        assert response.status_code == 200, bad
        assert "javascript:" not in response.get_data(as_text=True) and "http://" not in response.get_data(
            as_text=True
        )


def test_english_labels(login_as) -> None:  # type: ignore[no-untyped-def]
    analyst = login_as("analyst")
    analyst.get("/lang/en")
    page = analyst.get("/indicators/city?kind=year&year=2026").get_data(as_text=True)
    assert "Eligible people who used a service" in page and "Year 2026" in page


def test_sort_keeps_missing_values_last() -> None:
    rows = [
        WardFigures(1, "Xã A", "xa", 2025, 5, 0, 0, 0),
        WardFigures(2, "Phường B", "phuong", 2025, 3, 1, 1, 2),
        WardFigures(3, "Phường Đ", "phuong", None, 9, 0, 2, 2),
    ]
    assert [r.code for r in sort_wards(rows, "percent", descending=True)] == [3, 2, 1]
    assert [r.code for r in sort_wards(rows, "percent")] == [2, 3, 1]
    assert [r.code for r in sort_wards(rows, "cohort")] == [1, 2, 3]
    assert [r.code for r in sort_wards(rows, "ward")] == [2, 3, 1]  # phường before xã, then B before Đ


def test_chart_geometry() -> None:
    assert [nice_ceiling(n) for n in (0, 4, 7, 11, 48, 120, 550)] == [5, 5, 10, 20, 50, 200, 1000]
    series = [MonthPoint(1, 10, 10, 0, 0), MonthPoint(2, 20, 30, 1, 2), MonthPoint(3, 5, 35, 3, 4)]
    chart = monthly_chart(series, 60)
    assert [b.month for b in chart.bars] == [1, 2, 3]
    assert chart.bars[1].height == pytest.approx(chart.bottom - chart.top)  # 20 is the top of the scale
    assert [d.month for d in chart.dots] == [2, 3]  # no dot while nobody is in the denominator
    assert chart.target_y == pytest.approx(chart.bottom - 0.6 * (chart.bottom - chart.top), abs=0.01)
    assert len(chart.month_ticks) == 12 and chart.line.count(",") == 2
    assert [t.label for t in chart.count_ticks] == ["0", "10", "20"]
    assert [t.label for t in monthly_chart([MonthPoint(1, 3, 3, 0, 0)], 60).count_ticks] == ["0", "5"]


@pytest.mark.usefixtures("scenario")
def test_no_script_and_nothing_from_another_host(login_as) -> None:  # type: ignore[no-untyped-def]
    supervisor = login_as("supervisor", wards=[WARD_A])
    for url in ("/indicators/",):
        page = supervisor.get(url).get_data(as_text=True)
        assert "<script" not in page and "style=" not in page
        assert not re.search(r"(src|href)=\"(https?:)?//", page)


def test_today_is_the_default_period(login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("caseapp.indicators.views.hanoi_today", lambda: dt.date(2026, 5, 17))
    page = login_as("analyst").get("/indicators/city").get_data(as_text=True)
    assert "01/01/2026 – 17/05/2026" in page
