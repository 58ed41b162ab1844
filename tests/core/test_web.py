"""Language, dates, security headers, error pages."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from flask import Flask

from caseapp.core.i18n import format_date


def test_vietnamese_by_default_english_on_request(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Đăng nhập" in page and 'lang="vi"' in page
    client.get("/lang/en")
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Log in" in page and 'lang="en"' in page and "Đăng nhập" not in page


def test_every_message_has_a_vietnamese_translation() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/i18n.py", "check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, "untranslated messages:\n" + result.stdout


def test_dates_are_day_month_year() -> None:
    assert format_date(dt.date(2026, 3, 7)) == "07/03/2026"


def test_security_headers_on_every_response(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker")
    for response in (
        worker.get("/"),
        worker.get("/wards/"),
        app.test_client().get("/auth/login"),
        worker.get("/no-such-page"),
    ):
        headers = response.headers
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Cache-Control"] == "no-store"


def test_no_third_party_assets(app: Flask) -> None:
    page = app.test_client().get("/auth/login").get_data(as_text=True)
    assert "http://" not in page and "https://" not in page


def test_not_found_page_is_translated(app: Flask) -> None:
    response = app.test_client().get("/does-not-exist")
    assert response.status_code == 404 and "Không tìm thấy" in response.get_data(as_text=True)


def test_missing_csrf_token_gives_a_clear_400(app: Flask) -> None:
    response = app.test_client().post("/auth/login", data={"username": "a", "password": "b"})
    assert response.status_code == 400 and "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)


def test_an_absurdly_long_number_is_invalid_input_not_a_crash(app: Flask) -> None:
    """WTForms' NumberRange turns the value into a float: 310 digits raised OverflowError (a 500)."""
    from wtforms.validators import NumberRange

    from caseapp.core.forms import BaseForm, IntegerField

    class Form(BaseForm):
        minutes = IntegerField(validators=[NumberRange(min=1, max=600)])

    with app.test_request_context(method="POST", data={"minutes": "1" * 310}):
        form = Form(meta={"csrf": False})
        assert not form.validate()
        assert form.minutes.errors and form.minutes.data is None
    with app.test_request_context(method="POST", data={"minutes": "42"}):
        form = Form(meta={"csrf": False})
        assert form.validate() and form.minutes.data == 42


def test_every_form_uses_the_safe_integer_field() -> None:
    """A feature importing WTForms' own IntegerField would bring the OverflowError back."""
    import re
    from pathlib import Path

    wtforms_import = re.compile(r"from wtforms(?:\.fields)? import (\([^)]*\)|[^\n]*)")
    offenders = [
        str(path)
        for path in Path("caseapp").rglob("*.py")
        if path != Path("caseapp/core/forms.py")
        for names in wtforms_import.findall(path.read_text(encoding="utf-8"))
        if re.search(r"\bIntegerField\b", names)
    ]
    assert offenders == []
