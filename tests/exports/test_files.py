"""The file itself: allowlisted columns only, no personal value, the same bytes for the same data."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from flask import Flask

from caseapp.exports.columns import (
    ACTIVITY_COLUMNS,
    ALLOWED_CODES,
    EXPORT_COLUMNS,
    LABEL,
    AllowlistError,
    Column,
    check_allowlist,
)
from caseapp.extensions import db
from tests.activities.helpers import make_activity
from tests.exports.helpers import (
    JAN,
    WARD_C,
    csv_sections,
    january_programme,
    run_export,
    statistics_by_row,
    web_export,
    xlsx_sheets,
    xlsx_text,
)
from tests.factories import WARD_A, WARD_B, make_client, make_contact, make_referral, programme_wards

CANARIES = ("Canaryname Hằng Nga", "0912777666", "079123456789", "canarynote-ghi-chu", "canaryaddr Ngõ 99")
# the January fixture's CSV at a fixed generation time: the same bytes on SQLite and on PostgreSQL
JANUARY_CSV_SHA256 = "c8f3f6422a7f1d2ebe4b68ff505262f3c3607c9a251d32a5cec4149962b55da3"


def test_the_file_has_only_allowlisted_columns(app: Flask, tmp_path: Path) -> None:
    january_programme(app)
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"a.{fmt}"
        assert run_export(app, out, "--month", "2026-01", "--format", fmt)[0] == 0
        content = out.read_bytes()
        if fmt == "csv":
            tables = csv_sections(content)[:2]
            code_rows = [table[1] for table in tables]
        else:
            sheets = xlsx_sheets(content)
            code_rows = [[str(c) for c in sheets[name][1]] for name in ("Thống kê", "Hoạt động")]
        for codes in code_rows:
            unknown = [code for code in codes if code not in ALLOWED_CODES]
            assert not unknown, f"{fmt}: columns outside the allowlist: {unknown}"
        assert code_rows == [[c.code for c in EXPORT_COLUMNS], [c.code for c in ACTIVITY_COLUMNS]]


def test_the_allowlist_refuses_a_personal_or_unknown_column() -> None:
    check_allowlist(EXPORT_COLUMNS)
    check_allowlist(ACTIVITY_COLUMNS)
    with pytest.raises(AllowlistError):
        check_allowlist((*EXPORT_COLUMNS, Column("full_name", "Họ tên", LABEL, "clients.full_name")))
    with pytest.raises(AllowlistError):
        check_allowlist((*EXPORT_COLUMNS, Column("client_code", "Mã", LABEL, "clients.code")))
    with pytest.raises(AllowlistError):
        check_allowlist((Column("extra", "Thêm", "count", "contacts:month"),))


def seed_canaries(app: Flask) -> None:
    """Clients and records carrying distinctive personal values, in wards big enough to be shown."""
    with app.app_context():
        programme_wards(2025)
        for ward in (WARD_A, WARD_B):
            for n in range(11):
                client = make_client(
                    ward,
                    registered_on=JAN,
                    full_name=f"{CANARIES[0]} {n}",
                    alias=f"{CANARIES[0]}-alias",
                    phone=CANARIES[1],
                    id_number=CANARIES[2],
                    notes=CANARIES[3],
                    address=CANARIES[4],
                    date_of_birth=dt.date(1997, 4, 23),
                )
                make_contact(dt.date(2026, 1, 13), client=client, notes=CANARIES[3])
                make_referral(client, "legal", referred_on=dt.date(2026, 1, 14), notes=CANARIES[3])
        make_activity(ward=WARD_A, on=dt.date(2026, 1, 20), note=CANARIES[3], topic=CANARIES[3])
        db.session.remove()


def test_no_personal_value_reaches_any_file(app: Flask, tmp_path: Path, login_as) -> None:  # type: ignore[no-untyped-def]
    seed_canaries(app)
    with app.app_context():
        from sqlalchemy import select

        from caseapp.clients.models import Client

        codes = list(db.session.scalars(select(Client.code)))
        db.session.remove()
    files = []
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"c.{fmt}"
        assert run_export(app, out, "--month", "2026-01", "--format", fmt, "--threshold", "5")[0] == 0
        files.append(out.read_bytes())
    for role, wards in (("analyst", []), ("supervisor", [WARD_A])):
        staff = login_as(role, wards=wards)
        for fmt in ("csv", "xlsx"):
            response = web_export(app, staff, {"month": "2026-01", "fmt": fmt, "threshold": "5"})
            assert response.status_code == 200
            files.append(response.get_data())
    for content in files:
        text = content.decode("utf-8-sig") if content.startswith(b"\xef\xbb\xbf") else xlsx_text(content)
        for canary in (
            *CANARIES,
            *codes,
            "1997-04-23",
            "23/04/1997",
            "2026-01-13",
            "2026-01-14",
            "2026-01-20",
        ):
            assert canary not in text
    # a control: the wards' rows are there, so the canaries had their chance to leak
    rows = statistics_by_row(files[0])
    assert rows["00004"]["row_name"] == "Phường Ba Đình" and rows["city"]["month_new_clients"] == "22"


def test_the_same_month_gives_the_same_bytes(app: Flask, tmp_path: Path) -> None:
    january_programme(app)
    with app.app_context():
        make_activity(ward=WARD_C, on=dt.date(2026, 1, 9), participants=45)
        db.session.remove()
    for fmt in ("csv", "xlsx"):
        first, second, later = (tmp_path / f"{n}.{fmt}" for n in ("1", "2", "3"))
        assert run_export(app, first, "--month", "2026-01", "--format", fmt)[0] == 0
        assert run_export(app, second, "--month", "2026-01", "--format", fmt)[0] == 0
        assert first.read_bytes() == second.read_bytes(), fmt
        result = app.test_cli_runner().invoke(
            args=["export", "monthly", "--month", "2026-01", "--format", fmt, "--out", str(later)]
        )
        assert result.exit_code == 0 and later.read_bytes() != first.read_bytes()  # the time is stated
    csv_bytes = (tmp_path / "1.csv").read_bytes()
    assert hashlib.sha256(csv_bytes).hexdigest() == JANUARY_CSV_SHA256, hashlib.sha256(csv_bytes).hexdigest()


def test_the_file_states_threshold_method_and_time_and_holds_the_activities(
    app: Flask, tmp_path: Path
) -> None:
    january_programme(app)
    with app.app_context():
        make_activity(ward=WARD_A, on=dt.date(2026, 1, 9), participants=45)
        make_activity(ward=WARD_C, on=dt.date(2026, 1, 10), kind="training_course", participants=3)
        db.session.remove()
    out = tmp_path / "n.csv"
    assert run_export(app, out, "--month", "2026-01", "--threshold", "7")[0] == 0
    statistics, activities, notes = csv_sections(out.read_bytes())
    assert statistics[0][5].startswith("Trong tháng: Lượt tiếp cận") and statistics[1][5] == "month_contacts"
    stated = dict((row[0], row[1]) for row in notes[1:])
    assert stated["Ngưỡng che ô nhỏ k / Suppression threshold k"] == "7"
    assert "Che thứ cấp" in stated["Phương pháp"] and "Secondary suppression" in stated["Method"]
    assert stated["Thời điểm lập / Generated at (UTC)"] == "2026-02-01T08:00:00Z"
    by_ward = {row[2] or row[1]: dict(zip(activities[1], row, strict=True)) for row in activities[2:]}
    # activity figures count participants at public events: not suppressed (3 trainees are shown)
    assert by_ward["00004"]["month_participants_residents"] == "45"
    assert by_ward[f"{WARD_C:05d}"]["month_trained"] == "3"
    assert by_ward["city"]["ytd_activities"] == "2"
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", "\n".join(",".join(r) for r in statistics + activities))
