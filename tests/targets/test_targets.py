"""Targets per programme year: defaults from the plan, set by administrators only, audited."""

from __future__ import annotations

import pytest
from flask import Flask

from caseapp.core.audit import AuditEvent
from caseapp.extensions import db
from caseapp.targets.models import Target
from caseapp.targets.queries import TargetValues, target_for
from caseapp.targets.services import InvalidTarget, set_targets


@pytest.mark.usefixtures("app_ctx")
def test_a_year_without_targets_gets_the_plans_figures() -> None:
    assert target_for(2026) == TargetValues(2026, 550, 60, is_default=True)
    set_targets(year=2026, contacts=600, service_access_pct=65)
    assert target_for(2026) == TargetValues(2026, 600, 65)
    assert target_for(2027).is_default


@pytest.mark.usefixtures("app_ctx")
def test_invalid_targets_are_refused_and_nothing_is_written() -> None:
    for year, contacts, pct in ((2026, 550, 0), (2026, 550, 101), (2026, -1, 60), (1999, 550, 60)):
        with pytest.raises(InvalidTarget):
            set_targets(year=year, contacts=contacts, service_access_pct=pct)
    assert Target.query.count() == 0 and AuditEvent.query.count() == 0


def test_admin_sets_targets_and_the_change_is_audited_by_field(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")
    assert "550" in admin.get("/admin/targets/2026").get_data(as_text=True)
    response = admin.post("/admin/targets/", {"year": "2026", "contacts": "612", "service_access_pct": "60"})
    assert response.status_code == 302
    admin.post("/admin/targets/", {"year": "2026", "contacts": "612", "service_access_pct": "70"})
    page = admin.get("/admin/targets/").get_data(as_text=True)
    assert "612" in page and "70 %" in page and "Chỉ tiêu" in page
    with app.app_context():
        events = AuditEvent.query.filter(AuditEvent.action.like("target.%")).order_by(AuditEvent.seq).all()
        assert [(e.action, e.details["fields"]) for e in events] == [
            ("target.created", ["contacts", "service_access_pct"]),
            ("target.updated", ["service_access_pct"]),
        ]
        assert all("612" not in str(e.details) and e.user_id == admin.user_id for e in events)


def test_a_bad_form_changes_nothing(app: Flask, login_as) -> None:  # type: ignore[no-untyped-def]
    admin = login_as("admin")
    response = admin.post("/admin/targets/", {"year": "2026", "contacts": "abc", "service_access_pct": "160"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Target, 2026) is None


@pytest.mark.parametrize("role", ["worker", "supervisor", "analyst"])
def test_only_admins_reach_the_targets(login_as, role: str) -> None:  # type: ignore[no-untyped-def]
    staff = login_as(role)
    assert staff.get("/admin/targets/").status_code == 403
    assert (
        staff.post(
            "/admin/targets/", {"year": "2026", "contacts": "1", "service_access_pct": "1"}
        ).status_code
        == 403
    )
