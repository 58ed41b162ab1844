"""In real Chromium: a supervisor on a phone and an analyst on a desktop ask for the monthly export, watch the
page until the background job is done, download the file and open it with openpyxl."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook

from tests.browser_support import (
    DESKTOP,
    PHONE,
    browser_page,
    live_server,
    login,
    requires_chromium,
    screenshot,
)
from tests.exports.helpers import january_programme
from tests.factories import WARD_A, make_user

__all__ = ["live_server"]  # the fixture, imported for pytest


@pytest.mark.browser
@requires_chromium
@pytest.mark.parametrize(
    ("role", "viewport", "rows"),
    [("supervisor", PHONE, ["00004"]), ("analyst", DESKTOP, ["00004", "00008"])],
)
def test_asking_for_and_downloading_the_monthly_export(
    app: Flask, live_server: str, tmp_path: Path, role: str, viewport: tuple[int, int], rows: list[str]
) -> None:
    january_programme(app)
    with app.app_context():
        make_user(role, wards=[WARD_A], username=f"ex_{role}")
    app.config["EXPORT_JOBS_INLINE"] = False  # the real thing: a background thread, a refreshing page
    try:
        with browser_page(viewport) as page:
            login(page, live_server, f"ex_{role}")
            page.goto(f"{live_server}/exports/")
            main = page.inner_text("main")
            assert "Xuất số liệu thống kê tổng hợp ẩn danh hằng tháng" in main
            assert "(hiển thị là <k) để không số liệu nào" in main  # the mark is text, not a broken tag
            page.select_option("select[name=month]", "2026-01")
            page.select_option("select[name=fmt]", "xlsx")
            page.click("main form button[type=submit]")
            assert "Tệp đang được chuẩn bị" in page.inner_text(".flashes")
            link = page.wait_for_selector("#export-jobs a:has-text('Tải xuống')", timeout=60_000)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]
            assert page.console_errors == [], page.console_errors
            screenshot(page, f"export-{role}")
            with page.expect_download() as caught:
                link.click()
            saved = tmp_path / caught.value.suggested_filename
            caught.value.save_as(saved)
    finally:
        app.config["EXPORT_JOBS_INLINE"] = True
    assert saved.name == "caseapp-thong-ke-2026-01.xlsx"
    book = load_workbook(saved, read_only=True)
    try:  # a read-only workbook keeps its file open until closed
        sheet = book["Thống kê"]
        codes = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True) if row[1] == "ward"]
    finally:
        book.close()
    assert codes == rows
