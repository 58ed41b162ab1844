"""The audit chain: any edited, removed or reordered event is found and named."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import text

from caseapp.core import audit
from caseapp.extensions import db


def _five_events(app: Flask) -> None:
    with app.app_context():
        for n in range(5):
            audit.record("test.event", entity_type="thing", entity_id=n, fields=["a", "b"])
        db.session.commit()


def verify(app: Flask) -> audit.ChainReport:
    with app.app_context():
        return audit.verify_chain()


def test_intact_chain_verifies(app: Flask) -> None:
    _five_events(app)
    report = verify(app)
    assert report.ok and report.checked == 5
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "5 events verified" in result.output


def test_edited_event_is_named(app: Flask) -> None:
    _five_events(app)
    with app.app_context():
        db.session.execute(text("UPDATE audit_events SET action = 'x' WHERE seq = 3"))
        db.session.commit()
    report = verify(app)
    assert not report.ok and report.broken_seq == 3 and "edited" in report.problem
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code != 0 and "#3" in result.output


def test_deleted_event_is_named(app: Flask) -> None:
    _five_events(app)
    with app.app_context():
        db.session.execute(text("DELETE FROM audit_events WHERE seq = 2"))
        db.session.commit()
    report = verify(app)
    assert not report.ok and report.broken_seq == 3


def test_deleted_last_event_is_found(app: Flask) -> None:
    _five_events(app)
    with app.app_context():
        db.session.execute(text("DELETE FROM audit_events WHERE seq = 5"))
        db.session.commit()
    assert not verify(app).ok


def test_reordered_events_are_found(app: Flask) -> None:
    _five_events(app)
    with app.app_context():
        db.session.execute(text("UPDATE audit_events SET seq = -2 WHERE seq = 2"))
        db.session.execute(text("UPDATE audit_events SET seq = 2 WHERE seq = 4"))
        db.session.execute(text("UPDATE audit_events SET seq = 4 WHERE seq = -2"))
        db.session.commit()
    report = verify(app)
    assert not report.ok and report.broken_seq == 2


def test_events_name_fields_not_values(app: Flask) -> None:
    with app.app_context():
        event = audit.record("client.updated", entity_type="client", entity_id="x", fields=["phone", "alias"])
        db.session.commit()
        assert event.details == {"fields": ["alias", "phone"]}
