"""The export from the web: who may make it, which rows they get, what is recorded, what bad input does."""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import Flask
from sqlalchemy import select

from caseapp.core.audit import AuditEvent
from caseapp.exports import jobs
from caseapp.exports.models import ExportJob
from caseapp.extensions import db
from tests.exports.helpers import (
    FORM,
    WARD_C,
    january_programme,
    latest_job,
    statistics_by_row,
    web_export,
    xlsx_sheets,
)
from tests.factories import WARD_A, WARD_B
from tests.query_counter import count_queries


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
    response = web_export(app, analyst)
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
    response = web_export(app, supervisor)
    assert response.status_code == 200
    rows = statistics_by_row(response.get_data())
    # ward B is not theirs: its row is left out; the totals are the city file's own
    assert list(rows) == ["00004", "other_wards", "cohort-2025", "cohort-2026", "city"]
    analyst = login_as("analyst")
    city = web_export(app, analyst).get_data()
    assert statistics_by_row(city)["city"] == rows["city"]
    assert statistics_by_row(city)["00004"] == rows["00004"]
    event = export_events(app)[0]
    assert event.details["wards"] == [WARD_A] and event.user_id == supervisor.user_id


def test_workers_and_admins_are_refused(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    january_programme(app)
    owner = login_as("analyst")
    assert web_export(app, owner).status_code == 200
    job = latest_job(app, owner.user_id)
    for role in ("worker", "admin"):
        staff = login_as(role, wards=[WARD_A, WARD_B, WARD_C])
        assert staff.get("/exports/").status_code == 403
        assert staff.post("/exports/monthly", FORM).status_code == 403
        assert staff.get(f"/exports/{job.id}/file").status_code == 403
    anonymous = app.test_client().get(f"/exports/{job.id}/file")
    assert anonymous.status_code in (302, 401, 403) and not anonymous.get_data().startswith(b"\xef\xbb\xbf")
    assert len(export_events(app)) == 1  # the owner's only


def test_nobody_downloads_another_persons_export(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    january_programme(app)
    owner = login_as("supervisor", wards=[WARD_A])
    assert web_export(app, owner).status_code == 200
    job = latest_job(app, owner.user_id)
    for other in (login_as("analyst"), login_as("supervisor", wards=[WARD_A])):
        assert other.get(f"/exports/{job.id}/file").status_code == 404
        assert f"/exports/{job.id}/file" not in other.get("/exports/").get_data(as_text=True)
    with app.app_context():
        downloads = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export.downloaded")
        ).all()
        assert [e.user_id for e in downloads] == [owner.user_id]


def test_a_background_job_is_listed_while_made_and_then_downloadable(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    january_programme(app)
    analyst = login_as("analyst")
    app.config["EXPORT_JOBS_INLINE"] = False
    try:
        asked = analyst.post("/exports/monthly", FORM)
        assert asked.status_code == 303
        jobs.wait_for_jobs()
    finally:
        app.config["EXPORT_JOBS_INLINE"] = True
    job = latest_job(app, analyst.user_id)
    assert job.status == "done" and job.sha256
    page = analyst.get("/exports/").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page  # nothing pending: the page stops refreshing
    body = analyst.get(f"/exports/{job.id}/file").get_data()
    assert hashlib.sha256(body).hexdigest() == job.sha256


def test_a_pending_job_refreshes_the_page_and_a_stale_one_shows_interrupted(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    analyst = login_as("analyst")
    with app.app_context():
        from caseapp.core.db import utcnow

        now = utcnow()
        for requested_at in (now, now - dt.timedelta(hours=3)):
            db.session.add(
                ExportJob(
                    requested_by=analyst.user_id,
                    requested_at=requested_at,
                    month="2026-01",
                    threshold=10,
                    fmt="csv",
                    status="pending",
                )
            )
        db.session.commit()
    page = analyst.get("/exports/").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page
    assert "Đang chuẩn bị" in page and "Bị gián đoạn" in page


def test_jobs_older_than_thirty_days_are_deleted_when_the_page_is_read(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    analyst = login_as("analyst")
    with app.app_context():
        from caseapp.core.db import utcnow

        for age in (dt.timedelta(days=29), dt.timedelta(days=31)):
            db.session.add(
                ExportJob(
                    requested_by=analyst.user_id,
                    requested_at=utcnow() - age,
                    month="2026-01",
                    threshold=10,
                    fmt="csv",
                    status="failed",
                )
            )
        db.session.commit()
    assert analyst.get("/exports/").status_code == 200
    with app.app_context():
        kept = db.session.scalars(select(ExportJob.requested_at)).all()
        assert len(kept) == 1 and kept[0] > utcnow() - dt.timedelta(days=30)


def test_the_engine_runs_without_holding_the_database(app: Flask, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """SQLite takes its write lock at BEGIN: an open transaction during the minutes of suppression
    would stop every worker from saving. The export reads first, ends the transaction, then suppresses."""
    from caseapp.exports import service

    january_programme(app)
    seen: list[tuple[bool, int]] = []
    real = service.publish

    def watched(data, k):  # type: ignore[no-untyped-def]
        with count_queries() as log:
            result = real(data, k)
        seen.append((db.session().in_transaction(), log.count))
        return result

    monkeypatch.setattr(service, "publish", watched)
    assert web_export(app, login_as("analyst")).status_code == 200
    assert seen == [(False, 0)]


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
    csv_rows = statistics_by_row(web_export(app, analyst).get_data())
    response = web_export(app, analyst, {**FORM, "fmt": "xlsx"})
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
        # in tests the job runs inside the request: this counts making the file
        with app.app_context(), count_queries() as log:
            assert analyst.post("/exports/monthly", FORM).status_code == 303
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
