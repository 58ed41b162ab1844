"""In Chromium, on a phone: register a client with consent, record a need, find the client on the caseload."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.browser_support import PHONE, browser_page, live_server, login, requires_chromium, screenshot
from tests.factories import WARD_A, make_user, programme_wards

__all__ = ["live_server"]  # the fixture, imported for pytest


def fits_the_screen(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.browser
@requires_chromium
def test_register_and_record_a_need_on_a_phone(app: Flask, live_server: str) -> None:
    with app.app_context():
        programme_wards()
        make_user("worker", wards=[WARD_A], username="mai")
    with browser_page(PHONE) as page:
        login(page, live_server, "mai")
        assert fits_the_screen(page)
        screenshot(page, "clients-caseload-empty-phone")
        page.click("[data-testid=register-client]")
        page.check("[data-testid=consent-given]")
        page.get_by_label("Quản lý trường hợp (cán bộ xã hội hỗ trợ và theo dõi)").check()
        page.get_by_label("Nhân thân: tên gọi, họ tên, ngày sinh, số CCCD").check()
        page.get_by_label("Thông tin liên lạc: số điện thoại, địa chỉ").check()
        page.fill("[data-testid=alias]", "Hoa")
        page.fill("[data-testid=birth-year]", "1998")
        page.click("[data-testid=more-details] summary")
        page.fill("#phone", "0912 345 678")
        assert fits_the_screen(page)
        screenshot(page, "clients-register-phone")
        page.click("[data-testid=save-client]")
        page.wait_for_selector("[data-testid=client-header]")
        code = page.inner_text("[data-testid=client-code]")
        assert code.startswith("HN-") and "+84912345678" in page.inner_text("[data-testid=client-details]")
        page.click("[data-testid=add-need]")
        page.select_option("[data-testid=need-category]", "legal")
        page.check("#eligible-1")
        page.fill("#decided_on", page.input_value("#identified_on"))
        page.click("[data-testid=save-need]")
        page.wait_for_selector("[data-testid=need-row]")
        assert "Trợ giúp pháp lý" in page.inner_text("[data-testid=client-needs]")
        assert fits_the_screen(page)
        screenshot(page, "clients-detail-phone")
        page.goto(f"{live_server}/")
        assert code in page.inner_text("[data-testid=caseload-clients]")
        page.fill("[data-testid=search-phone]", "0912345678")
        page.click("[data-testid=search-phone-submit]")
        page.wait_for_selector("[data-testid=search-results]")
        assert code in page.inner_text("[data-testid=search-results]") and "0912345678" not in page.url
        assert page.console_errors == []
