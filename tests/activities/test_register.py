"""The activity register: recording, editing and deleting, scoped to the worker's own wards."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select

from caseapp.activities.models import Activity
from caseapp.core.audit import AuditEvent
from caseapp.core.clock import hanoi_today
from caseapp.extensions import db
from tests.activities.helpers import WARD_C, make_activity
from tests.factories import WARD_A, WARD_B

CANARY = "Chủ đề canary 7f3a"


def form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "activity_date": hanoi_today().isoformat(),
        "ward_code": WARD_A,
        "kind": "awareness_session",
        "audience": "students",
        "participants": "120",
        "topic": CANARY,
        "organiser": "Đoàn Thanh niên phường",
        "note": "",
    }
    data.update(overrides)
    return data


def activities(app: Flask) -> list[Activity]:
    with app.app_context():
        return list(db.session.scalars(select(Activity)))


def test_worker_records_an_activity_and_the_audit_names_fields_not_values(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    response = worker.post("/activities/new", form())
    assert response.status_code == 302
    [stored] = activities(app)
    assert (stored.ward_code, stored.participants, stored.topic) == (WARD_A, 120, CANARY)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "activity.created")).one()
        assert event.ward_code == WARD_A and event.user_id == worker.user_id
        assert "topic" in event.details["fields"] and CANARY not in str(event.details)
    listing = worker.get(f"/activities/register?year={hanoi_today().year}").get_data(as_text=True)
    assert CANARY in listing and "Phường Ba Đình" in listing


def test_the_form_offers_only_the_workers_wards(login_as) -> None:  # type: ignore[no-untyped-def]
    page = login_as("worker", wards=[WARD_A]).get("/activities/new").get_data(as_text=True)
    assert "Phường Ba Đình" in page and "Phường Ngọc Hà" not in page


def test_worker_cannot_record_for_another_ward(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    response = worker.post("/activities/new", form(ward_code=WARD_B))
    assert response.status_code == 200 and activities(app) == []


def test_rules_refuse_future_dates_negative_counts_and_personal_data(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    worker = login_as("worker", wards=[WARD_A])
    tomorrow = (hanoi_today() + dt.timedelta(days=1)).isoformat()
    page = worker.post("/activities/new", form(activity_date=tomorrow)).get_data(as_text=True)
    assert "Ngày hoạt động ở tương lai." in page
    page = worker.post("/activities/new", form(participants="-3")).get_data(as_text=True)
    assert 'class="error"' in page
    page = worker.post("/activities/new", form(note="Gọi chị Lan 0912 345 678")).get_data(as_text=True)
    assert "số điện thoại" in page
    page = worker.post("/activities/new", form(organiser="lan@example.com")).get_data(as_text=True)
    assert "số điện thoại" in page
    page = worker.post("/activities/new", form(activity_date="2024-12-31")).get_data(as_text=True)
    assert "trước khi chương trình bắt đầu" in page
    assert activities(app) == []


def test_worker_sees_and_edits_only_their_wards(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        own = make_activity(ward=WARD_A, topic="Chủ đề phường A").id
        other = make_activity(ward=WARD_B, topic="Chủ đề phường B").id
    worker = login_as("worker", wards=[WARD_A])
    listing = worker.get("/activities/register?year=2025").get_data(as_text=True)
    assert "Chủ đề phường A" in listing and "Chủ đề phường B" not in listing
    assert worker.get(f"/activities/{own}/edit").status_code == 200
    assert worker.get(f"/activities/{other}/edit").status_code == 404
    assert worker.post(f"/activities/{other}/edit", form(ward_code=WARD_A)).status_code == 404
    assert worker.post(f"/activities/{other}/delete").status_code == 404
    assert worker.get("/activities/not-a-uuid/edit").status_code == 404
    assert len(activities(app)) == 2


def test_edit_changes_fields_and_audits_their_names(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        activity_id = make_activity(ward=WARD_A, on=dt.date(2025, 5, 1), participants=10).id
    supervisor = login_as("supervisor", wards=[WARD_A, WARD_C])
    data = form(activity_date="2025-05-01", participants="15", ward_code=WARD_C, topic="Phòng, chống mại dâm")
    assert supervisor.post(f"/activities/{activity_id}/edit", data).status_code == 302
    [stored] = activities(app)
    assert (stored.participants, stored.ward_code, stored.audience) == (15, WARD_C, "students")
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "activity.updated")).one()
        assert event.details["fields"] == ["audience", "organiser", "participants", "ward_code"]


def test_worker_cannot_move_an_activity_out_of_their_wards(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        activity_id = make_activity(ward=WARD_A).id
    worker = login_as("worker", wards=[WARD_A])
    worker.post(f"/activities/{activity_id}/edit", form(activity_date="2025-03-01", ward_code=WARD_B))
    assert activities(app)[0].ward_code == WARD_A


def test_delete_removes_the_activity(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        activity_id = make_activity(ward=WARD_A).id
    worker = login_as("worker", wards=[WARD_A])
    assert worker.post(f"/activities/{activity_id}/delete").status_code == 302
    assert activities(app) == []
    with app.app_context():
        assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "activity.deleted")).one()


def test_analysts_and_admins_list_city_wide_but_never_edit(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        ids = [make_activity(ward=code, topic=f"Chủ đề {code}").id for code in (WARD_A, WARD_C)]
    for role in ("analyst", "admin"):
        user = login_as(role)
        listing = user.get("/activities/register?year=2025").get_data(as_text=True)
        assert f"Chủ đề {WARD_A}" in listing and f"Chủ đề {WARD_C}" in listing and "/edit" not in listing
        assert user.get("/activities/new").status_code == 403
        assert user.get(f"/activities/{ids[0]}/edit").status_code == 403
        assert user.post(f"/activities/{ids[0]}/delete").status_code == 403
        assert user.get("/activities/import").status_code == 403


def test_service_refuses_writes_by_roles_without_wards(app: Flask) -> None:
    from caseapp.activities.rules import ActivityFields, ActivityInvalid
    from caseapp.activities.services import record_activity
    from tests.factories import make_user

    with app.app_context():
        analyst = make_user("analyst")
        fields = ActivityFields(dt.date(2025, 3, 1), WARD_A, "awareness_session", "residents", 5, "x", "y")
        try:
            record_activity(actor=analyst, fields=fields)
        except ActivityInvalid as exc:
            assert [p.reason for p in exc.problems] == ["ward_not_yours"]
        else:
            raise AssertionError("an analyst recorded an activity")


def test_database_refuses_a_negative_count(app: Flask) -> None:
    import pytest
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        db.session.add(
            Activity(
                activity_date=dt.date(2025, 1, 1),
                ward_code=WARD_A,
                kind="awareness_session",
                audience="residents",
                participants=-1,
                topic="x",
                organiser="y",
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
