"""The 126 wards of Hà Nội, programme cohorts, and ward lists scoped to the user."""

from __future__ import annotations

import io
import json
from pathlib import Path

from flask import Flask

from caseapp.extensions import db
from caseapp.wards.models import Ward
from tests.factories import WARD_A, WARD_B

DATA = Path(__file__).resolve().parents[2] / "caseapp" / "wards" / "data" / "hanoi_wards.json"


def test_126_wards_51_phuong_75_xa_loaded(app: Flask) -> None:
    with app.app_context():
        assert Ward.query.count() == 126
        assert Ward.query.filter_by(kind="phuong").count() == 51
        assert Ward.query.filter_by(kind="xa").count() == 75
        assert db.session.get(Ward, WARD_A).name == "Phường Ba Đình"


def test_data_file_states_its_provenance() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert data["source"].startswith("vietnam-provinces") and data["source_version"]
    assert "GPL" in data["license_note"] and len(data["wards"]) == 126


def test_worker_sees_only_their_wards(login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A, WARD_B])
    page = worker.get("/wards/").get_data(as_text=True)
    assert "Phường Ba Đình" in page and "Phường Ngọc Hà" in page
    assert "Phường Hoàn Kiếm" not in page and "Đang hiển thị 2 phường/xã" in page
    home = worker.get("/").get_data(as_text=True)
    assert "Phường Ba Đình" in home and "Phường Hoàn Kiếm" not in home


def test_analyst_sees_all_wards(login_as) -> None:  # type: ignore[no-untyped-def]
    analyst = login_as("analyst")
    assert "Đang hiển thị 126 phường/xã" in analyst.get("/wards/").get_data(as_text=True)


def test_cli_sets_cohort_and_refuses_unknown_codes(app: Flask) -> None:
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["wards", "cohort", "--year", "2026", str(WARD_A), str(WARD_B)])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(args=["wards", "cohort", "--year", "2025", str(WARD_A), "424242"])
    assert bad.exit_code != 0 and "424242" in bad.output
    with app.app_context():
        assert db.session.get(Ward, WARD_A).cohort == 2026  # unchanged by the refused command


def test_admin_sets_cohort_in_the_ui(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")
    response = admin.post(f"/wards/{WARD_A}", {"cohort": "2025", "active": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Ward, WARD_A).cohort == 2025


def test_cohort_csv_import_is_all_or_nothing(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")
    bad = f"code,cohort\n{WARD_A},2025\n999999,2026\n{WARD_B},2030\n".encode()
    response = admin.post(
        "/wards/import",
        {"file": (io.BytesIO(bad), "cohorts.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Dòng 3" in page and "Dòng 4" in page and "Không có dữ liệu nào được nhập." in page
    with app.app_context():
        assert db.session.get(Ward, WARD_A).cohort is None
    good = f"code,cohort\n{WARD_A},2025\n{WARD_B},2026\n".encode()
    admin.post(
        "/wards/import", {"file": (io.BytesIO(good), "cohorts.csv")}, content_type="multipart/form-data"
    )
    with app.app_context():
        assert (db.session.get(Ward, WARD_A).cohort, db.session.get(Ward, WARD_B).cohort) == (2025, 2026)


def test_cohort_csv_import_from_the_cli(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(f"code,cohort\n{WARD_B},2026\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["wards", "import-cohorts", str(path)])
    assert result.exit_code == 0, result.output
    path.write_bytes(b"code;cohort\n")
    assert app.test_cli_runner().invoke(args=["wards", "import-cohorts", str(path)]).exit_code != 0
