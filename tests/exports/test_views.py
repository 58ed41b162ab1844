"""The export from the web: who may make it, which rows they get, what is recorded, what bad input does."""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import Flask
from sqlalchemy import select

from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from tests.exports.helpers import WARD_C, january_programme, statistics_by_row, xlsx_sheets
from tests.factories import WARD_A, WARD_B
from tests.query_counter import count_queries

FORM = {"month": "2026-01", "fmt": "csv", "threshold": "10"}


def export_events(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.monthly")))
        db.session.expunge_all()
        return events


def test_analysts_get_every_row_and_the_event_records_the_file(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    january_programme(app)
    analyst = login_as("analyst")
    page = analyst.get("/exports/")
    assert page.status_code == 200 and "Xuất số liệu" in page.get_data(as_text=True)
    response = analyst.post("/exports/monthly", FORM)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == "attachment; filename=caseapp-thong-ke-2026-01.csv"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    assert list(statistics_by_row(body)) == [
        "00004",
        "00008",
        "other_wards",
        "cohort-2025",
        "cohort-2026",
        "city",
    ]
    [event] = export_events(app)
    assert event.user_id == analyst.user_id and event.entity_id == "2026-01"
    assert event.details == {
        "month": "2026-01",
        "wards": "all",
        "threshold": 10,
        "format": "csv",
        "sha256": hashlib.sha256(body).hexdigest(),
    }


def test_supervisors_get_their_wards_rows_and_the_totals_only(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    january_programme(app)
    supervisor = login_as("supervisor", wards=[WARD_A])
    response = supervisor.post("/exports/monthly", FORM)
    assert response.status_code == 200
    rows = statistics_by_row(response.get_data())
    # ward B is not theirs: its row is left out; the totals are the city file's own
    assert list(rows) == ["00004", "other_wards", "cohort-2025", "cohort-2026", "city"]
    city = login_as("analyst").post("/exports/monthly", FORM).get_data()
    assert statistics_by_row(city)["city"] == rows["city"]
    assert statistics_by_row(city)["00004"] == rows["00004"]
    event = export_events(app)[0]
    assert event.details["wards"] == [WARD_A] and event.user_id == supervisor.user_id


def test_workers_and_admins_are_refused(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    january_programme(app)
    for role in ("worker", "admin"):
        staff = login_as(role, wards=[WARD_A, WARD_B, WARD_C])
        assert staff.get("/exports/").status_code == 403
        assert staff.post("/exports/monthly", FORM).status_code == 403
    anonymous = app.test_client().post("/exports/monthly", data=FORM)
    assert anonymous.status_code in (302, 401, 403) and not anonymous.get_data().startswith(b"\xef\xbb\xbf")
    assert export_events(app) == []


def test_bad_input_gets_a_vietnamese_message_and_records_nothing(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    january_programme(app)
    analyst = login_as("analyst")
    for fields, message in (
        ({**FORM, "threshold": "4"}, "Tối thiểu là 5."),
        ({**FORM, "threshold": "mười"}, "threshold"),
        ({**FORM, "month": "2099-01"}, "month"),
        ({**FORM, "fmt": "pdf"}, "fmt"),
    ):
        response = analyst.post("/exports/monthly", fields)
        assert response.status_code == 400, fields
        text = response.get_data(as_text=True)
        assert 'class="field has-error"' in text and ("<form" in text), fields
        if message == "Tối thiểu là 5.":
            assert message in text
    assert export_events(app) == []


def test_xlsx_download_holds_the_same_figures_as_the_csv(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    january_programme(app)
    analyst = login_as("analyst")
    csv_rows = statistics_by_row(analyst.post("/exports/monthly", FORM).get_data())
    response = analyst.post("/exports/monthly", {**FORM, "fmt": "xlsx"})
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith(".xlsx")
    sheets = xlsx_sheets(response.get_data())
    assert list(sheets) == ["Thống kê", "Hoạt động", "Ghi chú"]
    table = sheets["Thống kê"]
    codes = [str(c) for c in table[1]]
    for row in table[2:]:
        cells = {code: "" if v is None else str(v) for code, v in zip(codes, row, strict=True)}
        key = cells["ward_code"] or cells["row_type"] + (f"-{cells['cohort']}" if cells["cohort"] else "")
        assert cells == csv_rows[key]
    notes = dict((str(a), str(b)) for a, b in sheets["Ghi chú"])
    assert notes["Ngưỡng che ô nhỏ k / Suppression threshold k"] == "10"


def test_the_download_sends_the_same_queries_however_many_records(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    """Figures are GROUP BY queries: three times the contacts, in the same wards, cost no more statements."""
    from tests.exports.helpers import JAN
    from tests.factories import make_client, make_contact

    january_programme(app)
    analyst = login_as("analyst")
    analyst.post("/exports/monthly", FORM)  # warm-up

    def counted() -> int:
        with app.app_context(), count_queries() as log:
            assert analyst.post("/exports/monthly", FORM).status_code == 200
        return log.count

    small = counted()
    with app.app_context():
        for ward in (WARD_A, WARD_B):
            for _ in range(20):
                client = make_client(ward, registered_on=JAN)
                for day in (6, 7, 8):
                    make_contact(dt.date(2026, 1, day), client=client)
        db.session.remove()
    assert counted() == small
