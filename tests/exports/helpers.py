"""Shared pieces of the export tests: a small programme with hand-counted figures, and file readers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from caseapp.exports.models import ExportJob
from caseapp.extensions import db
from tests.factories import WARD_A, WARD_B, make_client, make_contact, programme_wards

WARD_C = 25  # Phường Giảng Võ: the 2026 cohort's only ward in these tests
OUTSIDE_WARD = 70  # Phường Hoàn Kiếm: not in the programme
JAN = dt.date(2026, 1, 6)
GENERATED = "2026-02-01T08:00:00"
FORM = {"month": "2026-01", "fmt": "csv", "threshold": "10"}


def january_programme(app: Flask) -> None:
    """January 2026: ward A 12 clients, ward B 15 clients and 2 anonymous contacts, ward C 3 clients,
    a ward outside the programme 2 clients; every client registered and contacted once that month."""
    with app.app_context():
        programme_wards(2025)
        programme_wards(2026, [WARD_C])
        for ward, clients in ((WARD_A, 12), (WARD_B, 15), (WARD_C, 3), (OUTSIDE_WARD, 2)):
            for _ in range(clients):
                make_contact(JAN, client=make_client(ward, registered_on=JAN))
        make_contact(JAN, ward=WARD_B)
        make_contact(JAN, ward=WARD_B)
        db.session.remove()


def run_export(app: Flask, out: Path, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(
        args=["export", "monthly", "--out", str(out), "--generated-at", GENERATED, *args]
    )
    return result.exit_code, result.output


def csv_sections(content: bytes) -> list[list[list[str]]]:
    """The CSV's sections (statistics, activities, notes), each a list of rows; checks the BOM."""
    assert content.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM: Excel would garble the Vietnamese"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sections: list[list[list[str]]] = [[]]
    for row in rows:
        if not row:
            sections.append([])
        else:
            sections[-1].append(row)
    return sections


def statistics_by_row(content: bytes) -> dict[str, dict[str, str]]:
    """Statistics rows by ward code or row type (other_wards, cohort-2025, city), machine codes as keys."""
    table = csv_sections(content)[0]
    codes = table[1]
    out = {}
    for row in table[2:]:
        cells = dict(zip(codes, row, strict=True))
        key = cells["ward_code"] or cells["row_type"] + (f"-{cells['cohort']}" if cells["cohort"] else "")
        out[key] = cells
    return out


def xlsx_sheets(content: bytes) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    try:  # a read-only workbook keeps its source open until closed
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    finally:
        book.close()


def xlsx_text(content: bytes) -> str:
    """Every XML part of the workbook as text, to look for values that must not be there."""
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return "\n".join(zf.read(name).decode("utf-8") for name in zf.namelist())


def latest_job(app: Flask, user_id: int) -> ExportJob:
    with app.app_context():
        stmt = (
            select(ExportJob).where(ExportJob.requested_by == user_id).order_by(ExportJob.requested_at.desc())
        )
        job = db.session.scalars(stmt).first()
        assert job is not None
        db.session.expunge_all()
        return job


def web_export(app: Flask, staff, fields: dict[str, str] = FORM):  # type: ignore[no-untyped-def]
    """Ask for an export, follow to the list, download the file: the response of the download."""
    asked = staff.post("/exports/monthly", fields)
    assert asked.status_code == 303 and asked.headers["Location"].endswith("/exports/"), asked.status_code
    job = latest_job(app, staff.user_id)
    page = staff.get("/exports/").get_data(as_text=True)
    assert f"/exports/{job.id}/file" in page
    return staff.get(f"/exports/{job.id}/file")
