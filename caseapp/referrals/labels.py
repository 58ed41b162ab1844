"""Translated referral statuses; category labels come from the providers directory."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from caseapp.referrals.models import ReferralStatus

STATUS_LABELS: dict[str, Any] = {
    ReferralStatus.REFERRED: _l("Referred"),
    ReferralStatus.ACCEPTED: _l("Accepted by the provider"),
    ReferralStatus.RECEIVED: _l("Service received"),
    ReferralStatus.DECLINED: _l("Declined"),
    ReferralStatus.NO_SHOW: _l("Did not attend"),
    ReferralStatus.CANCELLED: _l("Cancelled"),
}

# the verb on the button that moves a referral into a status
ACTION_LABELS: dict[str, Any] = {
    ReferralStatus.ACCEPTED: _l("Provider accepted"),
    ReferralStatus.RECEIVED: _l("Service received (used)"),
    ReferralStatus.DECLINED: _l("Provider declined"),
    ReferralStatus.NO_SHOW: _l("Did not attend"),
    ReferralStatus.CANCELLED: _l("Cancel the referral"),
}


def status_label(code: str) -> str:
    """The translated label of a status (the code itself if unknown)."""
    label = STATUS_LABELS.get(code)
    return str(label) if label is not None else code
