"""Loading the key ring: created 0600 with a warning, refused when missing or wrong, one per app."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from caseapp import create_app
from caseapp.core.crypto import DecryptionError, rotation
from caseapp.core.crypto.envelope import column_context, header_for, pk_context
from caseapp.core.crypto.keyring import KeyringDocument
from caseapp.core.crypto.models import CryptoKeyCheck
from caseapp.core.crypto.state import CryptoState, current_state
from caseapp.extensions import db
from config import ConfigError
from tests.core.crypto_helpers import crypto_db, restored_keyring

__all__ = ["crypto_db", "restored_keyring"]

CONTEXT = column_context("clients", "full_name") + pk_context(("row-1",))
MakeApp = Callable[..., Flask]


def elsewhere(tmp_path: Path) -> dict[str, str]:
    """Settings for an app with its own, empty SQLite database and its own key ring file."""
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.sqlite3'}",
        "KEYRING_PATH": str(tmp_path / "keyring.json"),
    }


def register_session_keys(app: Flask) -> None:
    with app.app_context():
        from caseapp.core.crypto import checks

        stored = {(r.kind, r.key_id): r for r in db.session.scalars(select(CryptoKeyCheck))}
        checks.register_missing(current_state().keyring, stored)


def test_a_missing_key_ring_is_created_0600_with_a_loud_warning(
    make_app: MakeApp, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    make_app(**elsewhere(tmp_path))
    path = tmp_path / "keyring.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "BACK IT UP NOW" in capfd.readouterr().err
    assert json.loads(path.read_text())["primary"] == 1


def test_a_missing_key_ring_is_refused_where_it_may_not_be_created(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="CASEAPP_KEYRING") as caught:
        create_app(
            "test", instance_path=str(tmp_path), KEYRING_CREATE_IF_MISSING=False, **elsewhere(tmp_path)
        )
    assert "does not exist" in str(caught.value)
    assert not (tmp_path / "keyring.json").exists()


def test_a_key_ring_from_the_environment_is_used_as_is(make_app: MakeApp, tmp_path: Path) -> None:
    document = KeyringDocument.generate()
    other = make_app(KEYRING_JSON=document.to_json(), **elsewhere(tmp_path))
    with other.app_context():
        assert current_state().path is None
        assert current_state().keyring.document.field_keys == document.field_keys
    assert not (tmp_path / "keyring.json").exists()


def test_a_malformed_key_ring_is_refused_without_quoting_it(tmp_path: Path) -> None:
    document = json.loads(KeyringDocument.generate().to_json())
    document["primary"] = 5
    with pytest.raises(ConfigError, match="primary key 5") as caught:
        create_app(
            "test", instance_path=str(tmp_path), KEYRING_JSON=json.dumps(document), **elsewhere(tmp_path)
        )
    assert document["field_keys"]["1"] not in str(caught.value)


def test_the_wrong_key_ring_is_refused(app: Flask, make_app: MakeApp) -> None:
    register_session_keys(app)
    with pytest.raises(ConfigError, match="WRONG key ring"):
        make_app(KEYRING_JSON=KeyringDocument.generate().to_json())


def test_a_new_key_ring_is_not_generated_for_a_database_that_has_one(
    app: Flask, make_app: MakeApp, tmp_path: Path
) -> None:
    register_session_keys(app)
    with pytest.raises(ConfigError, match=r"restore the backed-up keyring\.json"):
        make_app(KEYRING_PATH=str(tmp_path / "new.json"))
    assert not (tmp_path / "new.json").exists()


def test_a_key_ring_lacking_a_key_in_use_is_refused(restored_keyring: CryptoState, make_app: MakeApp) -> None:
    db.session.add(CryptoKeyCheck(kind="field", key_id=2, check_value="00" * 16))
    db.session.commit()
    db.session.remove()
    with pytest.raises(ConfigError, match="lacks keys this database still uses"):
        make_app()


def test_two_apps_in_one_process_keep_their_own_key_rings(
    app: Flask, make_app: MakeApp, tmp_path: Path
) -> None:
    other = make_app(**elsewhere(tmp_path))
    with app.app_context():
        ours = current_state()
        blob = ours.seal(b"Hoa", CONTEXT)
        with other.app_context():
            theirs = current_state()
            assert theirs is not ours
            with pytest.raises(DecryptionError):
                theirs.open(blob, CONTEXT)
        assert current_state() is ours
        assert ours.open(blob, CONTEXT) == b"Hoa"


def test_a_server_picks_up_a_key_added_by_another_process(
    restored_keyring: CryptoState, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.session.remove()
    other = make_app()
    with other.app_context():
        new_id, _ = rotation.rotate(current_state())
        blob = current_state().seal(b"Hoa", CONTEXT)
    assert blob[:5] == header_for(new_id)
    assert restored_keyring.open(blob, CONTEXT) == b"Hoa"  # unknown key id: the file is read again
    monkeypatch.setattr("caseapp.core.crypto.state.RELOAD_CHECK_SECONDS", 0.0)
    assert restored_keyring.keyring.primary.key_id == new_id
