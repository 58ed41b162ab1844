"""Typed configuration for caseapp: development, test and production.

Select with CASEAPP_ENV (development by default). Production fails fast with a message that says what to set.
"""

from __future__ import annotations

import os
import secrets
import stat
import sys
from pathlib import Path
from typing import Any, ClassVar

INSTANCE_DIR = Path(os.environ.get("CASEAPP_INSTANCE", Path(__file__).resolve().parent / "instance"))


class ConfigError(RuntimeError):
    """The configuration cannot run safely; the message says what to set."""


def database_url(instance_dir: Path) -> str:
    """DATABASE_URL if set (postgres URLs use psycopg 3), else SQLite in instance/."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_dir / 'caseapp.sqlite3'}"
    return with_driver(url)


def with_driver(url: str) -> str:
    """A PostgreSQL URL as written by hand (postgres://, postgresql://) made to use psycopg 3, ours."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def write_secret_file(path: Path, content: str) -> None:
    """Create a file only its owner can read (0600), refusing to overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)


def development_secret_key(instance_dir: Path) -> str:
    """Read instance/secret_key, generating it (0600) on first run."""
    path = instance_dir / "secret_key"
    if not path.exists():
        write_secret_file(path, secrets.token_hex(32))
        print(f"caseapp: generated a new session secret key in {path}", file=sys.stderr)
    return path.read_text(encoding="utf-8").strip()


class Config:
    """Settings shared by every environment."""

    ENV_NAME: ClassVar[str] = "base"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str = ""
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS: int = 15_000
    # Vietnamese first: the UI opens in Vietnamese unless the user picks English
    BABEL_DEFAULT_LOCALE: str = "vi"
    BABEL_DEFAULT_TIMEZONE: str = "Asia/Ho_Chi_Minh"
    LANGUAGES: tuple[str, ...] = ("vi", "en")
    WTF_CSRF_TIME_LIMIT: int | None = None
    SESSION_COOKIE_HTTPONLY: bool = True
    SESSION_COOKIE_SAMESITE: str = "Lax"
    SESSION_COOKIE_SECURE: bool = False
    SESSION_COOKIE_NAME: str = "caseapp_session"
    REMEMBER_COOKIE_DURATION: int = 0
    # a stolen laptop with an open session must not stay useful for long
    SESSION_IDLE_TIMEOUT_SECONDS: int = 30 * 60
    SESSION_ABSOLUTE_TIMEOUT_SECONDS: int = 12 * 60 * 60
    PASSWORD_MIN_LENGTH: int = 12
    ARGON2_PROFILE: str = "default"
    # the encryption key ring: a file in instance/ or, in production, CASEAPP_KEYRING (JSON)
    KEYRING_PATH: str = ""
    KEYRING_JSON: str | None = None
    KEYRING_CREATE_IF_MISSING: bool = False
    # small-cell suppression threshold for exports; below 5 is refused
    EXPORT_SUPPRESSION_K: int = 10
    # personal data of a closed case is erased this long after closing (`flask retention apply`)
    RETENTION_DAYS_AFTER_CLOSE: int = 5 * 365
    # login throttling, per account and per client address, shared by every process through the database
    LOGIN_FAILURES_PER_MINUTE: int = 5
    LOGIN_FAILURES_PER_HOUR: int = 100
    # roles that must use a second factor (TOTP); optional for the others
    TOTP_REQUIRED_ROLES: tuple[str, ...] = ("supervisor", "analyst", "admin")
    TOTP_ISSUER: str = "caseapp"
    RECOVERY_CODE_COUNT: int = 10
    MAX_CONTENT_LENGTH: int = 5 * 1024 * 1024
    TESTING: bool = False

    @classmethod
    def build(cls, instance_dir: Path) -> dict[str, Any]:
        """Resolve this class into the mapping Flask loads."""
        values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        values["SQLALCHEMY_DATABASE_URI"] = database_url(instance_dir)
        values["KEYRING_PATH"] = os.environ.get("CASEAPP_KEYRING_FILE", str(instance_dir / "keyring.json"))
        values["KEYRING_JSON"] = os.environ.get("CASEAPP_KEYRING") or None
        return values


class DevelopmentConfig(Config):
    """A laptop or a trial office: SQLite in instance/, keys generated on first run."""

    ENV_NAME = "development"
    KEYRING_CREATE_IF_MISSING = True

    @classmethod
    def build(cls, instance_dir: Path) -> dict[str, Any]:
        values = super().build(instance_dir)
        values["SECRET_KEY"] = os.environ.get("SECRET_KEY") or development_secret_key(instance_dir)
        return values


class TestConfig(Config):
    """The test suite: cheap password hashing, CSRF on (tests send tokens), a throwaway instance dir."""

    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    ARGON2_PROFILE = "fast"
    KEYRING_CREATE_IF_MISSING = True
    # most tests log staff in many times; tests/auth/test_second_factor.py restores the real requirement
    TOTP_REQUIRED_ROLES: tuple[str, ...] = ()
    # export jobs run in the request, so a test sees the finished job (tests/exports starts real threads too)
    EXPORT_JOBS_INLINE = True


class ProductionConfig(Config):
    """A server: PostgreSQL, secrets from the environment, secure cookies."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True

    @classmethod
    def build(cls, instance_dir: Path) -> dict[str, Any]:
        values = super().build(instance_dir)
        secret = os.environ.get("SECRET_KEY", "")
        if len(secret) < 32 or secret in KNOWN_DEFAULT_SECRETS:
            raise ConfigError(
                "SECRET_KEY is missing, too short or a known default. Set SECRET_KEY to at least 32 random "
                "characters, e.g. SECRET_KEY=\"$(python -c 'import secrets; print(secrets.token_hex(32))')\"."
            )
        values["SECRET_KEY"] = secret
        if not values["KEYRING_JSON"] and not Path(values["KEYRING_PATH"]).exists():
            raise ConfigError(
                "No encryption key ring. Set CASEAPP_KEYRING to the key ring's JSON, or CASEAPP_KEYRING_FILE "
                "to its path (see README, 'The key ring'). Production never generates keys by itself."
            )
        return values


KNOWN_DEFAULT_SECRETS = {"dev", "secret", "changeme", "change-me", TestConfig.SECRET_KEY}

CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def load(name: str | None = None, instance_dir: Path | None = None) -> dict[str, Any]:
    """The settings for environment `name` (default: CASEAPP_ENV, else development)."""
    name = name or os.environ.get("CASEAPP_ENV", "development")
    if name not in CONFIGS:
        raise ConfigError(f"CASEAPP_ENV={name!r} is not one of {', '.join(CONFIGS)}.")
    return CONFIGS[name].build(instance_dir or INSTANCE_DIR)
