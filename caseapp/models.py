"""Every model, imported once so the metadata (and Alembic's autogenerate) sees all tables."""

from caseapp.activities.models import Activity, ActivityTarget
from caseapp.auth.models import LoginFailure, RecoveryCode, SecondFactor, UserSession
from caseapp.clients.models import Client, Consent, Need
from caseapp.contacts.models import Contact
from caseapp.core.audit import AuditEvent, AuditHead
from caseapp.core.crypto.models import CryptoKeyCheck
from caseapp.exports.models import ExportJob
from caseapp.indicators.indexes import CONTACTS_WARD_DATE_CLIENT
from caseapp.privacy.models import DataSubjectRequest
from caseapp.providers.models import Provider, provider_wards
from caseapp.referrals.models import Referral, ReferralEvent
from caseapp.targets.models import Target
from caseapp.users.models import User, user_wards
from caseapp.wards.models import Ward

__all__ = [
    "CONTACTS_WARD_DATE_CLIENT",
    "Activity",
    "ActivityTarget",
    "AuditEvent",
    "AuditHead",
    "Client",
    "Consent",
    "Contact",
    "CryptoKeyCheck",
    "DataSubjectRequest",
    "ExportJob",
    "LoginFailure",
    "Need",
    "Provider",
    "RecoveryCode",
    "Referral",
    "ReferralEvent",
    "SecondFactor",
    "Target",
    "User",
    "UserSession",
    "Ward",
    "provider_wards",
    "user_wards",
]
