"""In a real browser: a social worker records an activity and sees the reach dashboard move."""

from __future__ import annotations

import pytest
from flask import Flask

from caseapp.core.clock import hanoi_today
from tests.browser_support import PHONE, browser_page, live_server, login, requires_chromium, screenshot
from tests.factories import WARD_A, make_user

__all__ = ["live_server"]  # the fixture, imported for pytest


def residents_reached(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator('#reach-table tr[data-measure="residents"] td.num').first.inner_text()


@pytest.mark.browser
@requires_chromium
def test_worker_records_an_activity_and_sees_reach_move(app: Flask, live_server: str) -> None:
    with app.app_context():
        make_user("worker", wards=[WARD_A], username="bt_worker")  # committed by the factory
    year = hanoi_today().year
    with browser_page() as page:
        login(page, live_server, "bt_worker")
        page.goto(f"{live_server}/activities/reach?year={year}")
        assert residents_reached(page) == "0"
        assert "0/1 phường/xã" in page.inner_text("#coverage")

        page.click("text=Truyền thông, tập huấn")
        page.click("text=Ghi nhận hoạt động")
        page.fill("#activity_date", hanoi_today().isoformat())
        page.select_option("#kind", "awareness_session")
        page.select_option("#audience", "residents")
        page.fill("#participants", "1250")
        page.fill("#topic", "Phòng, chống mại dâm tại khu dân cư")
        page.fill("#organiser", "UBND phường Ba Đình")
        page.click("form button.primary")
        assert "Đã ghi nhận hoạt động." in page.inner_text(".flashes")

        page.goto(f"{live_server}/activities/reach?year={year}")
        assert residents_reached(page) == "1.250"
        assert "1/1 phường/xã" in page.inner_text("#coverage")
        assert page.locator("svg.act-chart circle").count() >= 1
        screenshot(page, "activities-reach-desktop")
        assert page.console_errors == []  # no CSP violation, no missing asset

    with browser_page(PHONE) as phone:
        login(phone, live_server, "bt_worker")
        phone.goto(f"{live_server}/activities/reach?year={year}")
        assert residents_reached(phone) == "1.250"
        # nothing wider than the phone but the tables, which scroll inside their own frame
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
        screenshot(phone, "activities-reach-phone")
        phone.goto(f"{live_server}/activities/new")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
        screenshot(phone, "activities-form-phone")
        assert phone.console_errors == []
