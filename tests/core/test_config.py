"""Production refuses to start with unsafe settings, and says what to set."""

from __future__ import annotations

from pathlib import Path

import pytest

import config


def test_production_refuses_missing_or_default_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.load("production", tmp_path)
    monkeypatch.setenv("SECRET_KEY", "changeme")
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.load("production", tmp_path)


def test_production_refuses_missing_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("CASEAPP_KEYRING", raising=False)
    monkeypatch.delenv("CASEAPP_KEYRING_FILE", raising=False)
    with pytest.raises(config.ConfigError, match="CASEAPP_KEYRING"):
        config.load("production", tmp_path)


def test_development_generates_a_private_secret_key_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.load("development", tmp_path)["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert config.load("development", tmp_path)["SECRET_KEY"] == first and len(first) == 64


def test_database_url_uses_psycopg3(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@h/db")
    assert config.database_url(tmp_path) == "postgresql+psycopg://u:p@h/db"
    # the load test and the benchmarks take the same hand-written URLs
    assert config.with_driver("postgresql://u:p@127.0.0.1/x") == "postgresql+psycopg://u:p@127.0.0.1/x"
    assert config.with_driver("sqlite:///a.db") == "sqlite:///a.db"
    monkeypatch.delenv("DATABASE_URL")
    assert config.database_url(tmp_path).startswith("sqlite:///")
