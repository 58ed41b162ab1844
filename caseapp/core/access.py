"""Deny-by-default access: every endpoint declares a policy; ward scope is applied in the query layer.

A view without a policy refuses everyone (403), and tests/core/test_access_policy.py walks app.url_map so a
new route without a declaration fails the suite. Ward scoping of data is not done here but in each feature's
`*_visible_to(user)` queries, built on `ward_filter` below, so no view can forget it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

from flask import Flask, abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import InstrumentedAttribute
from werkzeug.wrappers import Response


class Role(enum.StrEnum):
    WORKER = "worker"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    ADMIN = "admin"


# roles whose members may see personal data, and then only of their own wards
CASEWORK_ROLES = frozenset({Role.WORKER, Role.SUPERVISOR})
ALL_ROLES = frozenset(Role)

# endpoints that need no login; everything else is closed unless declared
PUBLIC_ENDPOINTS = frozenset({"static"})


@dataclass(frozen=True)
class Policy:
    """Who may reach an endpoint. `public` skips login; `scoped` marks views that read ward data."""

    roles: frozenset[Role]
    scoped: bool = False
    public: bool = False


F = TypeVar("F", bound=Callable[..., Any])
POLICY_ATTR = "_caseapp_policy"


def allow(*roles: Role, scoped: bool = False) -> Callable[[F], F]:
    """Declare which roles may reach a view; `scoped=True` if it reads ward-scoped data."""
    if not roles:
        raise ValueError("allow() needs at least one role; use public() for open views")

    def decorate(view: F) -> F:
        setattr(view, POLICY_ATTR, Policy(roles=frozenset(roles), scoped=scoped))
        return view

    return decorate


def public(view: F) -> F:
    """Declare a view open without login (login page, language switch, health check)."""
    setattr(view, POLICY_ATTR, Policy(roles=frozenset(), public=True))
    return view


def policy_for(app: Flask, endpoint: str | None) -> Policy | None:
    """The declared policy of an endpoint, or None (which means: refuse)."""
    if endpoint is None:
        return None
    if endpoint in PUBLIC_ENDPOINTS:
        return Policy(roles=frozenset(), public=True)
    view = app.view_functions.get(endpoint)
    return getattr(view, POLICY_ATTR, None)


def user_role(user: Any) -> Role | None:
    """The role of a logged-in user, None for anonymous."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Role(user.role)


def enforce_policy(app: Flask) -> Response | None:
    """before_request hook: deny unless the endpoint's policy admits the current user."""
    if request.endpoint is None:
        return None  # no route matched: Flask answers 404/405 itself
    policy = policy_for(app, request.endpoint)
    if policy is None:
        return _deny("undeclared endpoint")
    if policy.public:
        return None
    role = user_role(current_user)
    if role is None:
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(401)
    if role not in policy.roles:
        _deny("role not allowed")
    return None


def _deny(reason: str) -> NoReturn:
    from caseapp.core import audit

    audit.record_denial(reason=reason)
    abort(403)


def ward_codes_of(user: Any) -> frozenset[int]:
    """Codes of the wards assigned to a user (casework roles see only these)."""
    return frozenset(w.code for w in getattr(user, "wards", ()))


def sees_all_wards(user: Any) -> bool:
    """Analysts and admins see aggregates and reference data for every ward, never personal data."""
    return user_role(user) in (Role.ANALYST, Role.ADMIN)


def ward_filter(column: InstrumentedAttribute[Any], user: Any) -> ColumnElement[bool]:
    """SQL condition limiting `column` (a ward code) to what `user` may see; false for anonymous."""
    role = user_role(user)
    if role is None:
        return false()
    if role in (Role.ANALYST, Role.ADMIN):
        return true()
    codes = ward_codes_of(user)
    return column.in_(codes) if codes else false()


def casework_ward_filter(column: InstrumentedAttribute[Any], user: Any) -> ColumnElement[bool]:
    """Like ward_filter, but only casework roles ever get rows: personal data stays out of other roles."""
    if user_role(user) not in CASEWORK_ROLES:
        return false()
    return ward_filter(column, user)


def all_policies(app: Flask) -> Iterable[tuple[str, Policy | None]]:
    """Every endpoint with its policy (None where undeclared), for tests and `flask routes`-like listings."""
    for endpoint in sorted(app.view_functions):
        yield endpoint, policy_for(app, endpoint)
