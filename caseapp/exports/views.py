"""The monthly export from the web: supervisors get their wards' rows and the totals, analysts everything."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from caseapp.contacts.dates import hanoi_today
from caseapp.core.access import Role, allow
from caseapp.core.db import utcnow
from caseapp.core.forms import choices
from caseapp.core.nav import add_nav_entry
from caseapp.exports.forms import ExportForm, month_choices
from caseapp.exports.service import ExportRefused, monthly_export, parse_month, parse_threshold
from caseapp.wards.queries import visible_wards

bp = Blueprint("exports", __name__, url_prefix="/exports", template_folder="templates")
add_nav_entry("exports.index", _l("Monthly export"), 40)


def refusal_text(code: str) -> str:
    messages = {
        "month_format": _("Choose a month from the list."),
        "month_early": _("The programme's data start in 2025."),
        "month_future": _("That month has not started yet."),
        "threshold": _("The suppression threshold must be at least 5."),
        "format": _("Choose CSV or Excel."),
    }
    return messages.get(code, _("The export could not be made."))


def _scope() -> list[int] | None:
    """None (every ward) for analysts; a supervisor's own wards otherwise."""
    if current_user.role == Role.ANALYST:
        return None
    return [w.code for w in visible_wards(current_user)]


def _page(form: ExportForm, error: str | None = None) -> str:
    return render_template("exports/index.html", form=form, error=error, scope=_scope())


def _form(today: dt.date) -> ExportForm:
    form = ExportForm()
    form.month.choices = choices(month_choices(today))
    return form


@bp.route("/")
@allow(Role.SUPERVISOR, Role.ANALYST)
def index() -> str:
    form = _form(hanoi_today())
    # the month just ended is the one usually reported; the current month is still partial
    form.month.data = form.month.choices[min(1, len(form.month.choices) - 1)].value
    return _page(form)


@bp.route("/monthly", methods=["POST"])
@allow(Role.SUPERVISOR, Role.ANALYST)
def download() -> Response | tuple[str, int]:
    """The file, or the form again with what to correct (status 400, nothing recorded)."""
    today = hanoi_today()
    form = _form(today)
    error = None
    if form.validate():
        try:
            year, month = parse_month(str(form.month.data), today)
            produced = monthly_export(
                year=year,
                month=month,
                fmt=str(form.fmt.data),
                k=parse_threshold(form.threshold.data),
                wards=_scope(),
                generated_at=utcnow().replace(microsecond=0),
                actor_id=int(current_user.id),
            )
        except ExportRefused as exc:
            error = refusal_text(exc.code)
        else:
            headers = {"Content-Disposition": f"attachment; filename={produced.filename}"}
            return Response(produced.content, mimetype=produced.mimetype, headers=headers)
    return _page(form, error), 400
