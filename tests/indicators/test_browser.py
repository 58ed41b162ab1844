"""In a real browser: a supervisor reads the dashboard's charts and tables and drills into an overdue case."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from caseapp.core.clock import hanoi_today
from tests.browser_support import PHONE, browser_page, live_server, login, requires_chromium, screenshot
from tests.factories import WARD_A, WARD_B, make_client, make_contact, make_need, make_referral, make_user
from tests.indicators.scenario import build

__all__ = ["live_server"]  # the fixture, imported for pytest


@pytest.mark.browser
@requires_chromium
def test_supervisor_reads_the_dashboard_and_drills_into_an_overdue_case(app: Flask, live_server: str) -> None:
    today = hanoi_today()
    with app.app_context():
        build()  # the hand-checked programme of 2026 (wards A, B and C)
        worker = make_user("worker", wards=[WARD_A], username="bt_lan")
        make_user("supervisor", wards=[WARD_A, WARD_B], username="bt_supervisor")
        late = make_client(WARD_A, worker=worker, registered_on=today - dt.timedelta(days=40))
        make_need(late, "health", decided_on=today - dt.timedelta(days=30))
        make_contact(
            today - dt.timedelta(days=20),
            client=late,
            worker=worker,
            next_follow_up_on=today - dt.timedelta(days=6),
        )
        make_referral(late, "health", status="referred", referred_on=today - dt.timedelta(days=35))
        code = late.code

    with browser_page() as page:
        login(page, live_server, "bt_supervisor")
        page.click("nav a[href='/indicators/']")
        assert page.locator("h1").inner_text() == "Bảng theo dõi các phường/xã bạn phụ trách"
        # the chart, drawn on the server, with its table beside it
        assert page.locator("svg.ind-chart rect.ind-bar").count() == today.month
        assert page.locator("svg.ind-chart line.ind-target").count() == 1
        assert page.locator("svg.ind-meter").count() == 2
        assert page.locator("#monthly-table tbody tr").count() == today.month

        # March 2026 of the hand-checked programme, sorted by contacts
        page.select_option("#kind", "month")
        page.select_option("#year", "2026")
        page.select_option("#month", "3")
        page.click("form.ind-period button")
        assert "3 trong số 5 người" in page.inner_text("body")
        page.click("#ward-table th a[href*='sort=contacts']")
        # sorted by contacts, most first: Ba Đình (4 in March) before Ngọc Hà (1)
        assert page.locator("#ward-table tbody tr td:first-child").all_inner_texts() == [
            "Phường Ba Đình",
            "Phường Ngọc Hà",
        ]
        screenshot(page, "indicators-dashboard-desktop")
        assert page.console_errors == []

    with browser_page(PHONE) as phone:
        login(phone, live_server, "bt_supervisor")
        phone.goto(f"{live_server}/indicators/?kind=month&year=2026&month=3")
        # nothing wider than the phone but the tables, which scroll inside their own frame
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
        assert phone.locator("svg.ind-chart").bounding_box()["width"] <= PHONE[0]
        screenshot(phone, "indicators-dashboard-phone")
        assert phone.console_errors == []

    with browser_page() as page:
        login(page, live_server, "bt_supervisor")
        page.goto(f"{live_server}/indicators/")
        overdue = page.locator("#overdue-table tbody tr", has_text=code)
        assert overdue.count() == 1 and overdue.locator("td.num").inner_text() == "6"
        if "clients.detail" not in app.view_functions:
            pytest.skip("the client page (clients.detail) does not exist yet, so the dashboard draws no link")
        overdue.locator("a.client-code").click()
        page.wait_for_load_state()
        assert code in page.inner_text("main") and "/indicators/" not in page.url
        assert page.console_errors == []
