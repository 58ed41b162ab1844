"""argon2id password hashing (argon2-cffi), with cheap parameters only in the test config."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_HASHERS = {
    "default": PasswordHasher(),
    # tests create many users; production parameters would make the suite minutes slower
    "fast": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}
# verified when the username is unknown, so timing does not tell which usernames exist
_DUMMY_HASH = _HASHERS["default"].hash("caseapp-dummy-password")

ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _hasher() -> PasswordHasher:
    return _HASHERS[current_app.config.get("ARGON2_PROFILE", "default")]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if the password matches; spends the same effort when there is no hash."""
    try:
        return _hasher().verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def one_time_password() -> str:
    """A random 16-character password (about 79 bits) that is easy to read aloud and type."""
    return "-".join("".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(4)) for _ in range(4))
