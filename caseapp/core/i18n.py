"""Vietnamese first, English second: locale selection, per-feature catalogues and date formatting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask, current_app, session
from flask_login import current_user

from caseapp.extensions import babel

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def translation_directories() -> list[str]:
    """Each feature keeps its own catalogue (caseapp/<feature>/translations); Flask-Babel merges them."""
    return sorted(str(p) for p in PACKAGE_DIR.glob("*/translations") if p.is_dir())


def select_locale() -> str:
    """The language chosen in this session, else the user's preference, else Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    preferred = getattr(current_user, "preferred_locale", None) if current_user else None
    if preferred in languages:
        return str(preferred)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def format_date(value: dt.date | dt.datetime | None) -> str:
    """dd/mm/yyyy, the way dates are written in Viet Nam, in both languages."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Hà Nội time (stored values are UTC)."""
    if value is None:
        return ""
    local = value.replace(tzinfo=dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7)))
    return local.strftime("%d/%m/%Y %H:%M")


def init_app(app: Flask) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories())
    babel.init_app(app, locale_selector=select_locale)
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
