"""Reads of the providers directory: public data, so no ward scoping; filters by category and ward."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from caseapp.core.text import vietnamese_sort_key
from caseapp.extensions import db
from caseapp.providers.models import Provider, provider_wards


def _serves(ward_code: int) -> object:
    # a provider with no wards listed serves the whole city
    listed = select(provider_wards.c.provider_id).where(provider_wards.c.provider_id == Provider.id)
    serving = listed.where(provider_wards.c.ward_code == ward_code)
    return or_(~listed.exists(), serving.exists())


def providers_query(*, ward_code: int | None = None, active_only: bool = True) -> Select[tuple[Provider]]:
    """Providers, optionally only those serving `ward_code`."""
    stmt = select(Provider).options(selectinload(Provider.wards))
    if active_only:
        stmt = stmt.where(Provider.active.is_(True))
    if ward_code is not None:
        stmt = stmt.where(_serves(ward_code))  # type: ignore[arg-type]
    return stmt


def list_providers(
    *, category: str | None = None, ward_code: int | None = None, active_only: bool = True
) -> list[Provider]:
    """The directory in Vietnamese alphabetical order; the category filter runs on the JSON list in Python."""
    rows = db.session.scalars(providers_query(ward_code=ward_code, active_only=active_only)).all()
    found = [p for p in rows if category is None or category in (p.categories or [])]
    return sorted(found, key=lambda p: vietnamese_sort_key(p.name))


def get_provider_or_404(provider_id: int) -> Provider:
    provider = db.session.get(Provider, provider_id)
    if provider is None:
        abort(404)
    return provider


def provider_offers(provider: Provider, *, category: str, ward_code: int) -> bool:
    """Whether an active provider offers `category` in `ward_code` (a referral may only go there)."""
    serves = not provider.wards or any(w.code == ward_code for w in provider.wards)
    return provider.active and category in (provider.categories or []) and serves


def find_provider(provider_id: int | None) -> Provider | None:
    """The provider with this id, or None (also for no id)."""
    return db.session.get(Provider, provider_id) if provider_id is not None else None
