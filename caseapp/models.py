"""Every model, imported once so the metadata (and Alembic's autogenerate) sees all tables."""

from caseapp.auth.models import LoginFailure, UserSession
from caseapp.core.audit import AuditEvent, AuditHead
from caseapp.users.models import User, user_wards
from caseapp.wards.models import Ward

__all__ = ["AuditEvent", "AuditHead", "LoginFailure", "User", "UserSession", "Ward", "user_wards"]
