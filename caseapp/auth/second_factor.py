"""The second factor: TOTP (RFC 6238) with single-use codes, recovery codes, and an admin reset.

Required for the roles in TOTP_REQUIRED_ROLES (supervisors, analysts, admins), optional for workers. A code
is accepted at most once: the time step it belongs to is stored, and only later steps are valid afterwards.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, select

from caseapp.auth.models import RecoveryCode, SecondFactor
from caseapp.auth.passwords import ONE_TIME_ALPHABET, hash_password, verify_password
from caseapp.auth.services import revoke_all_sessions
from caseapp.core import audit
from caseapp.core.db import prepare_write, utcnow
from caseapp.extensions import db
from caseapp.users.models import User

STEP_SECONDS = 30
# one step either side: phones whose clocks drift by up to 30 seconds still work
DRIFT_STEPS = 1


class CodeRejected(ValueError):
    """A TOTP or recovery code that is wrong, already used, or out of its time window."""


class SecondFactorRequired(ValueError):
    """This role must keep a second factor: it cannot be switched off."""


@dataclass(frozen=True)
class Provisioning:
    """What the enrolment page shows: a QR code (inline SVG data, no third-party host) and the secret."""

    uri: str
    qr_data_uri: str
    secret_groups: str


def now_seconds() -> float:
    """The clock TOTP runs on (a function, so tests can move it)."""
    return time.time()


def required_for(user: User) -> bool:
    return user.role in current_app.config["TOTP_REQUIRED_ROLES"]


def factor_of(user: User) -> SecondFactor | None:
    return db.session.get(SecondFactor, user.id)


def enrolled(user: User) -> bool:
    factor = factor_of(user)
    return factor is not None and factor.confirmed_at is not None


def begin_enrolment(*, user: User) -> SecondFactor:
    """An unconfirmed secret for the enrolment page; reloading the page keeps the same one."""
    factor = factor_of(user)
    if factor is not None and factor.confirmed_at is not None:
        raise CodeRejected("already enrolled")
    if factor is None:
        prepare_write()  # the page is a GET: see caseapp.core.db
        factor = SecondFactor(user_id=user.id, secret=pyotp.random_base32(), created_at=utcnow())
        db.session.add(factor)
        db.session.commit()
    return factor


def provisioning(user: User, factor: SecondFactor) -> Provisioning:
    uri = pyotp.TOTP(factor.secret).provisioning_uri(
        name=user.username, issuer_name=current_app.config["TOTP_ISSUER"]
    )
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    groups = " ".join(factor.secret[i : i + 4] for i in range(0, len(factor.secret), 4))
    return Provisioning(uri, qr, groups)


def _matching_step(factor: SecondFactor, code: str) -> int | None:
    """The time step `code` belongs to, if it is valid now and later than the last one used."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(factor.secret)
    current = int(now_seconds()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        fresh = factor.last_used_step is None or step > factor.last_used_step
        if fresh and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def confirm_enrolment(*, user: User, code: str) -> list[str]:
    """Confirm the secret with a first code; returns new recovery codes to show once."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is not None:
        raise CodeRejected("no enrolment in progress")
    step = _matching_step(factor, code)
    if step is None:
        raise CodeRejected("wrong code")
    factor.last_used_step = step
    factor.confirmed_at = utcnow()
    codes = _replace_recovery_codes(user)
    audit.record("second_factor.enrolled", entity_type="user", entity_id=user.id, fields=["secret"])
    db.session.commit()
    return codes


def check_code(*, user: User, code: str) -> str | None:
    """At login: 'totp' or 'recovery_code' if `code` is valid (and spend it), else None. No commit."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is None:
        return None
    step = _matching_step(factor, code)
    if step is not None:
        factor.last_used_step = step
        return "totp"
    if _spend_recovery_code(user, code):
        return "recovery_code"
    return None


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch in ONE_TIME_ALPHABET)


def _spend_recovery_code(user: User, code: str) -> bool:
    typed = normalise_recovery_code(code)
    if len(typed) != 10:
        return False
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    for row in unused:
        if verify_password(row.code_hash, typed):
            row.used_at = utcnow()
            return True
    return False


def _new_recovery_code() -> str:
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(10))


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(current_app.config["RECOVERY_CODE_COUNT"])]
    now = utcnow()
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=hash_password(code), created_at=now) for code in codes
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def remaining_recovery_codes(user: User) -> int:
    stmt = select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    return len(db.session.scalars(stmt).all())


def _require_current_code(user: User, code: str) -> SecondFactor:
    factor = factor_of(user)
    step = _matching_step(factor, code) if factor is not None and factor.confirmed_at else None
    if factor is None or step is None:
        raise CodeRejected("wrong code")
    factor.last_used_step = step
    return factor


def regenerate_recovery_codes(*, user: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), confirmed by a current TOTP code."""
    _require_current_code(user, code)
    codes = _replace_recovery_codes(user)
    audit.record("second_factor.recovery_codes_replaced", entity_type="user", entity_id=user.id)
    db.session.commit()
    return codes


def disable(*, user: User, code: str) -> None:
    """Switch the second factor off (only where the role does not require it)."""
    if required_for(user):
        raise SecondFactorRequired(user.role)
    factor = _require_current_code(user, code)
    db.session.delete(factor)
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record("second_factor.disabled", entity_type="user", entity_id=user.id, fields=["secret"])
    db.session.commit()


def reset_second_factor(*, user: User) -> None:
    """Admin: remove a user's second factor (lost phone); sessions end, the password is left alone."""
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    revoke_all_sessions(user=user)
    audit.record("second_factor.reset", entity_type="user", entity_id=user.id, fields=["secret"])
    db.session.commit()
