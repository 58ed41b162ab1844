"""Dashboards: a supervisor's wards with their caseload review, and the city's aggregates for analysts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError

from caseapp.contacts.labels import topic_label
from caseapp.core.access import Role, allow
from caseapp.core.clock import hanoi_today
from caseapp.core.nav import add_nav_entry
from caseapp.indicators import caseload
from caseapp.indicators.dashboard import DEFAULT_SORT, SORT_KEYS, build_dashboard, sort_wards
from caseapp.indicators.forms import FIELDS as PERIOD_FIELDS
from caseapp.indicators.forms import describe, period_form
from caseapp.targets.queries import target_for
from caseapp.wards.queries import visible_wards

bp = Blueprint("indicators", __name__, url_prefix="/indicators", template_folder="templates")
add_nav_entry("indicators.dashboard", _l("Dashboard"), 15)
add_nav_entry("indicators.city", _l("City dashboard"), 15)


@bp.app_template_filter("ind_percent")
def percent(value: float | None) -> str:
    """45.5 -> '45,5 %' in Vietnamese, '45.5 %' in English; no denominator -> a dash."""
    return "—" if value is None else f"{format_decimal(value, format='#,##0.0')} %"


def optional_url(endpoint: str, **values: Any) -> str | None:
    """A link to another feature's page, or None while that page does not exist (no broken links)."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def sort_url(column: str, current: str, descending: bool) -> str:
    """This page with the ward table sorted by `column` (the same column again flips the order)."""
    # only the period's own fields are carried over: never let the query string reach url_for's options
    args: dict[str, Any] = {name: request.args[name] for name in PERIOD_FIELDS if name in request.args}
    args.update(sort=column, dir="asc" if column == current and descending else "desc")
    if column == "ward" and column != current:
        args["dir"] = "asc"
    return url_for(str(request.endpoint), **args)


def _figures(*, hide_idle_outside: bool) -> dict[str, Any]:
    """Period, figures and sorted ward table for the wards the current user may see."""
    today = hanoi_today()
    form, period = period_form(request.args, today)
    data = build_dashboard(
        period, visible_wards(current_user), target_for(period.year), hide_idle_outside=hide_idle_outside
    )
    column = request.args.get("sort", DEFAULT_SORT)
    column = column if column in SORT_KEYS else DEFAULT_SORT
    descending = request.args.get("dir") == "desc"
    return {
        "today": today,
        "form": form,
        "period_label": describe(period),
        "data": data,
        "ward_rows": sort_wards(data.wards, column, descending),
        "sort": column,
        "descending": descending,
        "sort_url": sort_url,
        "topic_label": topic_label,
    }


@bp.route("/")
@allow(Role.SUPERVISOR, scoped=True)
def dashboard() -> str:
    figures = _figures(hide_idle_outside=False)
    today = figures["today"]
    return render_template(
        "indicators/dashboard.html",
        **figures,
        workers=caseload.caseload_by_worker(current_user, today),
        overdue=caseload.overdue_follow_ups(current_user, today),
        stuck=caseload.stuck_referrals(current_user, today),
        stuck_days=caseload.STUCK_AFTER_DAYS,
        optional_url=optional_url,
    )


@bp.route("/city")
@allow(Role.ANALYST, scoped=True)
def city() -> str:
    return render_template("indicators/city.html", **_figures(hide_idle_outside=True))
