"""Writes to the providers directory (public information about organisations; nothing is encrypted)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from caseapp.clients.models import ServiceCategory
from caseapp.core import audit
from caseapp.core.access import Role
from caseapp.extensions import db
from caseapp.providers.models import Provider
from caseapp.users.models import User
from caseapp.wards.models import Ward

MAX_NAME = 200
MAX_ADDRESS = 300
MAX_PHONE = 40
MANAGERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
# digits, spaces and the usual separators: a hotline like "1800 1567" or "(+84) 24.3825.1234"
PHONE_PATTERN = re.compile(r"^(?=.*[0-9])[0-9 ()+.\-]{3,40}$")


class ProviderRefused(ValueError):
    """A provider entry that breaks a rule; nothing was written."""


class NotAllowedToManage(ProviderRefused):
    """Only supervisors and admins manage the directory."""


class NameRequired(ProviderRefused):
    """A provider needs a name (at most MAX_NAME characters)."""


class CategoryRequired(ProviderRefused):
    """A provider offers at least one service category."""


class UnknownCategory(ProviderRefused):
    """Not one of the six service categories."""


class InvalidPhone(ProviderRefused):
    """A phone number with letters or of an odd length."""


class AddressTooLong(ProviderRefused):
    """An address longer than MAX_ADDRESS characters."""


class InvalidText(ProviderRefused):
    """Control characters (a NUL byte, a line break) in a one-line field."""

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(field)


class UnknownWard(ProviderRefused):
    """A ward code that is not one of Hà Nội's wards."""


@dataclass(frozen=True)
class ProviderData:
    """What an admin or supervisor enters about a provider."""

    name: str
    categories: Sequence[str]
    address: str | None = None
    phone: str | None = None
    ward_codes: Sequence[int] = ()
    active: bool = True


def _one_line(field: str, text: str | None) -> None:
    # PostgreSQL refuses NUL in text, and no directory entry needs a control character
    if text and any(unicodedata.category(ch) == "Cc" for ch in text):
        raise InvalidText(field)


def _clean(data: ProviderData) -> ProviderData:
    for field in ("name", "address", "phone"):
        _one_line(field, getattr(data, field))
    name = " ".join(data.name.split())
    if not name or len(name) > MAX_NAME:
        raise NameRequired(str(len(name)))
    categories = [c.value for c in ServiceCategory if c.value in set(data.categories)]
    if len(categories) != len(set(data.categories)):
        raise UnknownCategory(",".join(sorted(set(data.categories) - set(categories))))
    if not categories:
        raise CategoryRequired()
    address = (data.address or "").strip() or None
    if address is not None and len(address) > MAX_ADDRESS:
        raise AddressTooLong(str(len(address)))
    phone = (data.phone or "").strip() or None
    if phone is not None and not PHONE_PATTERN.match(phone):
        raise InvalidPhone()
    return ProviderData(name, categories, address, phone, sorted(set(data.ward_codes)), data.active)


def _wards(codes: Iterable[int]) -> list[Ward]:
    wanted = set(codes)
    wards = list(db.session.scalars(select(Ward).where(Ward.code.in_(wanted)))) if wanted else []
    if len(wards) != len(wanted):
        raise UnknownWard(",".join(str(c) for c in sorted(wanted - {w.code for w in wards})))
    return wards


def _check_manager(actor: User | None) -> None:
    # actor None: the command line (demo data), which runs with the operator's authority
    if actor is not None and Role(actor.role) not in MANAGERS:
        raise NotAllowedToManage(actor.role)


def add_provider(*, actor: User | None, data: ProviderData, demo: bool = False) -> Provider:
    """Add a provider and its audit event to the current transaction (the caller commits)."""
    _check_manager(actor)
    clean = _clean(data)
    provider = Provider(
        name=clean.name,
        categories=list(clean.categories),
        address=clean.address,
        phone=clean.phone,
        active=clean.active,
        demo=demo,
        wards=_wards(clean.ward_codes),
    )
    db.session.add(provider)
    db.session.flush()
    audit.record(
        "provider.created",
        user_id=actor.id if actor else None,
        entity_type="provider",
        entity_id=provider.id,
        fields=["name", "categories", "address", "phone", "wards", "active"],
    )
    return provider


def create_provider(*, actor: User | None, data: ProviderData, demo: bool = False) -> Provider:
    """Add a provider to the directory."""
    provider = add_provider(actor=actor, data=data, demo=demo)
    db.session.commit()
    return provider


def update_provider(*, actor: User, provider: Provider, data: ProviderData) -> Provider:
    """Change a provider's entry; the audit event names the fields that changed."""
    _check_manager(actor)
    clean = _clean(data)
    wards = _wards(clean.ward_codes)
    changes = {
        "name": clean.name,
        "categories": list(clean.categories),
        "address": clean.address,
        "phone": clean.phone,
        "active": clean.active,
    }
    changed = [field for field, value in changes.items() if getattr(provider, field) != value]
    for field in changed:
        setattr(provider, field, changes[field])
    if {w.code for w in provider.wards} != set(clean.ward_codes):
        provider.wards = wards
        changed.append("wards")
    if changed:
        audit.record(
            "provider.updated",
            user_id=actor.id,
            entity_type="provider",
            entity_id=provider.id,
            fields=changed,
        )
    db.session.commit()
    return provider
