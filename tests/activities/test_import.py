"""CSV import: every bad row reported with its reason, the whole file refused, nothing written."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from caseapp.activities.imports import HEADER, ImportRejected, import_activities_csv, template_csv
from caseapp.activities.models import Activity
from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from tests.activities.helpers import TODAY, WARD_C, make_activity
from tests.factories import WARD_A, WARD_B, make_user

HEAD = ",".join(HEADER)


def csv_bytes(*rows: str, header: str = HEAD) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Activity)) or 0)


def reasons(exc: pytest.ExceptionInfo[ImportRejected]) -> list[tuple[int, str | None, str]]:
    return [(e.line, e.column, e.reason) for e in exc.value.errors]


GOOD = f"15/03/2025,{WARD_A},awareness_session,residents,45,Phòng chống mại dâm,UBND phường,"


def test_a_good_file_is_imported_in_one_transaction(app: Flask) -> None:
    content = csv_bytes(
        GOOD,
        f"2025-03-20,{WARD_B},training_course,staff_volunteers,30,Kỹ năng tư vấn,Hội LHPN,lớp 2 ngày",
        "",  # blank lines are skipped
        f'2025-04-01,{WARD_A},media_item,students,"1200","Tờ rơi, áp phích",Đoàn phường,',
    )
    with app.app_context():
        assert import_activities_csv(content=content, year=2025, actor=None, today=TODAY) == 3
        assert count() == 3
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "activities.imported")).one()
        assert event.details == {"rows": 3, "year": 2025, "wards": [WARD_A, WARD_B]}


def test_every_bad_row_is_reported_and_nothing_is_written(app: Flask) -> None:
    content = csv_bytes(
        GOOD,
        "16/03/2025,999999,awareness_session,residents,10,x,y,",  # unknown ward
        f"17/03/2024,{WARD_A},awareness_session,residents,10,x,y,",  # outside the year
        f"18/03/2025,{WARD_A},awareness_session,residents,-5,x,y,",  # negative
        f"19/03/2025,{WARD_A},awareness_session,residents,mười,x,y,",  # not a number
        f"20/03/2025,{WARD_A},awareness_session,tourists,10,x,y,",  # unknown audience
        f"21/03/2025,{WARD_A},concert,residents,10,x,y,",  # unknown kind
        f"32/03/2025,{WARD_A},awareness_session,residents,10,x,y,",  # not a date
        f"22/03/2025,{WARD_A},awareness_session,residents,1.200,x,y,",  # thousands separator
        f"23/03/2025,{WARD_A},awareness_session,residents,10,x",  # short row
        f"24/03/2025,{WARD_A},awareness_session,residents,10,x,y,gọi 0912345678",  # personal data
        f"25/03/2025,{WARD_A},concert,tourists,,,,",  # several problems in one row
    )
    with app.app_context():
        with pytest.raises(ImportRejected) as exc:
            import_activities_csv(content=content, year=2025, actor=None, today=TODAY)
        assert count() == 0 and not AuditEvent.query.filter_by(action="activities.imported").count()
    assert reasons(exc) == [
        (3, "ward_code", "unknown_ward"),
        (4, "date", "date_outside_year"),
        (5, "participants", "participants_negative"),
        (6, "participants", "participants_not_number"),
        (7, "audience", "unknown_audience"),
        (8, "kind", "unknown_kind"),
        (9, "date", "bad_date"),
        (10, "participants", "participants_not_number"),
        (11, None, "wrong_column_count"),
        (12, "note", "looks_personal"),
        (13, "kind", "unknown_kind"),
        (13, "audience", "unknown_audience"),
        (13, "participants", "participants_not_number"),
        (13, "topic", "topic_required"),
        (13, "organiser", "organiser_required"),
    ]
    values = {(e.line, e.value) for e in exc.value.errors}
    assert (
        (3, "999999") in values and (6, "mười") in values and (12, None) in values
    )  # free text never echoed


def test_dates_in_the_future_are_refused(app: Flask) -> None:
    content = csv_bytes(f"29/11/2026,{WARD_A},awareness_session,residents,10,x,y,")
    with app.app_context(), pytest.raises(ImportRejected) as exc:
        import_activities_csv(content=content, year=2026, actor=None, today=TODAY)
    assert reasons(exc) == [(2, "date", "date_future")]


def test_several_problems_in_one_row_are_all_reported(app: Flask) -> None:
    content = csv_bytes(f"15/03/2025,{WARD_A},concert,tourists,10,,y,")
    with app.app_context(), pytest.raises(ImportRejected) as exc:
        import_activities_csv(content=content, year=2025, actor=None, today=TODAY)
    assert reasons(exc) == [
        (2, "kind", "unknown_kind"),
        (2, "audience", "unknown_audience"),
        (2, "topic", "topic_required"),
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (csv_bytes(GOOD).decode().encode("utf-16"), "not_utf8"),
        (
            csv_bytes().replace(b"\n", b"") + "\n15/03/2025,4,Đông Anh\n".encode("cp1258"),
            "not_utf8",
        ),  # Excel "CSV"
        (csv_bytes(GOOD, header="date,ward,kind,audience,participants,topic,organiser,note"), "bad_header"),
        (
            csv_bytes(GOOD, header="ward_code,date,kind,audience,participants,topic,organiser,note"),
            "bad_header",
        ),
        (csv_bytes(GOOD, header=HEAD + ",extra"), "bad_header"),
        (b"", "empty_file"),
        (csv_bytes(), "no_rows"),
        (csv_bytes(GOOD + "x" * 200_000), "unreadable"),
    ],
)
def test_whole_file_problems(app: Flask, content: bytes, reason: str) -> None:
    with app.app_context(), pytest.raises(ImportRejected) as exc:
        import_activities_csv(content=content, year=2025, actor=None, today=TODAY)
    assert [e.reason for e in exc.value.errors] == [reason]


def test_excel_bom_and_semicolons_are_accepted(app: Flask) -> None:
    content = "\ufeff" + HEAD.replace(",", ";") + "\n" + GOOD.replace(",", ";") + "\n"
    with app.app_context():
        assert import_activities_csv(content=content.encode("utf-8"), year=2025, actor=None, today=TODAY) == 1


def test_importing_the_same_file_twice_is_refused(app: Flask) -> None:
    with app.app_context():
        make_activity(ward=WARD_A, on=dt.date(2025, 3, 15), participants=45, topic="Phòng chống mại dâm")
        with pytest.raises(ImportRejected) as exc:
            import_activities_csv(content=csv_bytes(GOOD, GOOD), year=2025, actor=None, today=TODAY)
        assert reasons(exc) == [(2, None, "duplicate_existing"), (3, None, "duplicate_in_file")]


def test_a_worker_imports_only_for_their_wards(app: Flask) -> None:
    with app.app_context():
        worker = make_user("worker", wards=[WARD_A])
        content = csv_bytes(GOOD, f"16/03/2025,{WARD_C},awareness_session,residents,10,x,y,")
        with pytest.raises(ImportRejected) as exc:
            import_activities_csv(content=content, year=2025, actor=worker, today=TODAY)
        assert reasons(exc) == [(3, "ward_code", "ward_not_yours")] and count() == 0


def test_the_template_imports_cleanly(app: Flask) -> None:
    with app.app_context():
        year = 2026
        assert import_activities_csv(content=template_csv().encode(), year=year, actor=None, today=TODAY) == 2


def upload(staff, content: bytes, year: int = 2025):  # type: ignore[no-untyped-def]
    data = {"year": str(year), "file": (io.BytesIO(content), "activities.csv")}
    return staff.post("/activities/import", data, content_type="multipart/form-data")


def test_the_upload_page_shows_the_report(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    page = upload(worker, csv_bytes(GOOD, "16/03/2025,999999,concert,residents,-1,x,y,")).get_data(
        as_text=True
    )
    assert "Chưa có dữ liệu nào được nhập" in page and "Mã phường/xã không tồn tại." in page
    assert "Loại hoạt động không hợp lệ." in page and "Số người tham gia không được là số âm." in page
    assert "999999" in page and 'id="import-report"' in page
    with app.app_context():
        assert count() == 0
    response = upload(worker, csv_bytes(GOOD))
    assert response.status_code == 302 and "year=2025" in response.headers["Location"]
    with app.app_context():
        assert count() == 1


def test_the_template_download(login_as) -> None:  # type: ignore[no-untyped-def]
    response = login_as("worker").get("/activities/import/template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf" + HEAD.encode()) and "Phòng, chống mại dâm".encode() in body


def test_the_command_line_import(app: Flask, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(csv_bytes(GOOD))
    bad.write_bytes(csv_bytes(GOOD, f"16/03/2025,{WARD_A},awareness_session,residents,-1,x,y,"))
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["activities", "import", str(bad), "--year", "2025"])
    assert refused.exit_code != 0 and "line 3, participants: participants_negative" in refused.output
    assert "nothing was imported" in refused.output
    done = runner.invoke(args=["activities", "import", str(good), "--year", "2025"])
    assert done.exit_code == 0 and "1 activities imported for 2025" in done.output
    with app.app_context():
        assert count() == 1
    template = runner.invoke(args=["activities", "template"])
    assert template.output.startswith(HEAD)
