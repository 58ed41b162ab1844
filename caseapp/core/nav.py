"""The main menu: features add entries; an entry shows only to roles its endpoint's policy admits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from caseapp.core.access import policy_for, user_role


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: Any  # a lazy translated string
    order: int


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str
    active: bool


_ENTRIES: list[NavEntry] = []

ROLE_LABELS = {
    "worker": _l("Social worker"),
    "supervisor": _l("Supervisor"),
    "analyst": _l("Analyst (city)"),
    "admin": _l("Administrator"),
}


def add_nav_entry(endpoint: str, label: Any, order: int = 50) -> None:
    """Called by features at import time; duplicates are ignored."""
    if all(e.endpoint != endpoint for e in _ENTRIES):
        _ENTRIES.append(NavEntry(endpoint, label, order))


def nav_items() -> list[NavLink]:
    role = user_role(current_user)
    links = []
    for entry in sorted(_ENTRIES, key=lambda e: e.order):
        policy = policy_for(current_app, entry.endpoint)
        if policy is None or role is None or role not in policy.roles:
            continue
        url = url_for(entry.endpoint)
        links.append(NavLink(url, str(entry.label), request.path.startswith(url) and url != "/"))
    return links


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def current_locale() -> str:
    return str(get_locale() or "vi")


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(nav_items=nav_items, role_label=role_label, current_locale=current_locale)
