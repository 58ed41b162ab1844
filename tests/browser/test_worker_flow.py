"""In real Chromium, at desktop and phone size: a social worker's day, in Vietnamese, then in English.

Log in, register a client with consent, log a contact, record a need, refer to a provider, mark the
referral received, and find it all again on the caseload. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask

from caseapp.core.clock import hanoi_today
from tests.browser_support import (
    DESKTOP,
    PHONE,
    browser_page,
    live_server,
    login,
    requires_chromium,
    screenshot,
)
from tests.contacts.helpers import make_provider
from tests.factories import WARD_A, make_user, programme_wards

__all__ = ["live_server"]  # the fixture, imported for pytest

PROVIDER = "Trung tâm Hỗ trợ Tâm lý Thử nghiệm (ví dụ)"
OTHER_PROVIDER = "Văn phòng Luật Thử nghiệm (ví dụ)"


def tick(page: Any, name: str, value: str) -> None:
    """Tap the label of a radio button or checkbox (the inputs are drawn as big chips)."""
    input_id = page.locator(f"input[name={name}][value='{value}']").get_attribute("id")
    page.click(f"label[for='{input_id}']")


def check_page(page: Any, width: int, lang: str = "vi") -> None:
    """Every page: the chosen language, no CSP violation or missing asset, nothing wider than the screen."""
    assert page.locator("html").get_attribute("lang") == lang, page.url
    assert page.console_errors == [], page.console_errors
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def press(page: Any, selector: str) -> None:
    """Tap a button the way a person does: nothing focused any more, the button in view, then the tap."""
    # on the narrow page a focused field's blur moved the layout between Playwright's scroll and its click
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.locator(selector).scroll_into_view_if_needed()
    page.click(selector)


def flash(page: Any) -> str:
    return str(page.inner_text(".flashes"))


def walk_the_day(page: Any, base: str, size: str, alias: str, width: int) -> str:
    """The whole flow in Vietnamese; returns the new client's code."""
    today = hanoi_today()
    login(page, base, f"bt_{size}")
    check_page(page, width)  # the caseload is the worker's home page
    assert (
        "Hồ sơ đang theo dõi" in page.inner_text("nav")
        or page.locator("[data-testid=register-client]").count()
    )

    # register a client, consent first (nothing is ticked in advance)
    page.click("[data-testid=register-client]")
    check_page(page, width)
    assert page.locator("input[name=purposes]:checked").count() == 0
    page.check("[data-testid=consent-given]")
    for purpose in ("case_management", "referral", "follow_up_contact"):
        tick(page, "purposes", purpose)
    for category in ("identity", "case_notes"):
        tick(page, "data_categories", category)
    page.fill("[data-testid=alias]", alias)
    page.fill("[data-testid=birth-year]", "1996")
    screenshot(page, f"worker-flow-{size}-1-register")
    press(page, "[data-testid=save-client]")
    page.wait_for_selector("[data-testid=client-code]")
    check_page(page, width)
    code = page.inner_text("[data-testid=client-code]").strip()
    assert code.startswith("HN-") and code in flash(page)

    # log a contact from the client page: date, ward and channel are all it takes
    page.click("[data-testid=log-contact]")
    check_page(page, width)
    assert page.input_value("input[name=contact_date]") == today.isoformat()
    tick(page, "channel", "outreach")
    tick(page, "topics", "psychological")
    page.fill("textarea[name=notes]", "Gặp tại điểm sinh hoạt nhóm, chị muốn được tư vấn tâm lý.")
    page.fill("input[name=next_follow_up_on]", (today + dt.timedelta(days=5)).isoformat())
    screenshot(page, f"worker-flow-{size}-2-contact")
    press(page, "[data-testid=save-contact]")
    page.wait_for_selector("[data-testid=client-contacts]")
    assert "Đã lưu lượt tiếp cận." in flash(page)
    assert "Tiếp cận cộng đồng" in page.inner_text("[data-testid=client-contacts]")

    # record a need and its eligibility
    page.click("[data-testid=add-need]")
    check_page(page, width)
    page.select_option("[data-testid=need-category]", "psychological")
    page.fill("input[name=identified_on]", today.isoformat())
    tick(page, "eligible", "yes")
    page.fill("input[name=decided_on]", today.isoformat())
    page.fill("textarea[name=eligibility_basis]", "Có nhu cầu, đủ điều kiện theo hướng dẫn.")
    screenshot(page, f"worker-flow-{size}-3-need")
    press(page, "[data-testid=save-need]")
    page.wait_for_selector("[data-testid=need-row]")
    check_page(page, width)

    # refer to a provider of that service: choosing the service narrows the provider list
    page.click("[data-testid=refer-client]")
    check_page(page, width)
    assert page.locator("select[name=provider] option", has_text=OTHER_PROVIDER).evaluate("o => !o.hidden")
    tick(page, "category", "psychological")
    assert page.locator("select[name=provider] option", has_text=OTHER_PROVIDER).evaluate("o => o.hidden")
    page.select_option("select[name=provider]", label=PROVIDER)
    screenshot(page, f"worker-flow-{size}-4-refer")
    press(page, "[data-testid=save-referral]")
    page.wait_for_selector("[data-testid=referral-detail]")
    check_page(page, width)
    assert "Đã chuyển gửi" in page.inner_text("[data-testid=referral-status]")

    # the provider accepts, then the service is used
    page.click("[data-testid=status-accepted]")
    page.wait_for_selector("[data-testid=status-received]")
    page.click("[data-testid=status-received]")
    page.wait_for_selector("text=Đã lưu trạng thái")
    check_page(page, width)
    assert "Đã sử dụng dịch vụ" in page.inner_text("[data-testid=referral-status]")
    history = page.locator("[data-testid=referral-history] li").all_inner_texts()
    assert len(history) == 3 and "Đã sử dụng dịch vụ" in history[-1]
    screenshot(page, f"worker-flow-{size}-5-received")

    # the caseload: the client, the follow-up due in five days, and nothing left waiting on the provider
    page.goto(f"{base}/")
    check_page(page, width)
    assert code in page.inner_text("[data-testid=caseload-clients]")
    assert code in page.inner_text("[data-testid=caseload-followups]")
    assert code not in page.inner_text("[data-testid=caseload-referrals]")
    screenshot(page, f"worker-flow-{size}-6-caseload")
    return code


def in_english(page: Any, base: str, size: str, code: str, width: int) -> None:
    """The VI / EN switch in the top bar turns every page of the flow into English."""
    page.click("a[lang=en]")
    page.wait_for_load_state()
    check_page(page, width, "en")
    assert "Caseload" in page.inner_text("nav") and "Hồ sơ" not in page.inner_text("nav")
    page.click(f"[data-testid=caseload-clients] a:has-text('{code}')")
    page.wait_for_selector("[data-testid=client-contacts]")
    check_page(page, width, "en")
    body = page.inner_text("main")
    assert "Contacts" in body and "Referrals" in body and "Outreach" in body and "Service received" in body
    page.click("[data-testid=log-contact]")
    check_page(page, width, "en")
    assert "Channel" in page.inner_text("main") and "Hình thức" not in page.inner_text("main")
    page.go_back()
    page.click("[data-testid=client-referrals] a:has-text('Psychological support')")
    page.wait_for_selector("[data-testid=referral-history]")
    check_page(page, width, "en")
    assert "History" in page.inner_text("main") and "Service received" in page.inner_text("main")
    screenshot(page, f"worker-flow-{size}-7-english")


@pytest.mark.browser
@requires_chromium
@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_a_social_workers_day(app: Flask, live_server: str, size: str, viewport: tuple[int, int]) -> None:
    with app.app_context():
        programme_wards()
        make_user("worker", wards=[WARD_A], username=f"bt_{size}")
        make_provider(name=PROVIDER, categories=["psychological"], wards=[WARD_A])
        make_provider(name=OTHER_PROVIDER, categories=["legal"])
    with browser_page(viewport) as page:
        code = walk_the_day(page, live_server, size, f"Hoa {size}", viewport[0])
        in_english(page, live_server, size, code, viewport[0])
