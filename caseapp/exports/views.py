"""The monthly export from the web: supervisors get their wards' rows and the totals, analysts everything.

Asking records a job and returns at once (the engine can take minutes); the page lists the user's jobs
and refreshes itself while one is being made.
"""

from __future__ import annotations

import datetime as dt
import uuid

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from caseapp.core import audit
from caseapp.core.access import Role, allow
from caseapp.core.clock import hanoi_today
from caseapp.core.forms import choices
from caseapp.core.nav import add_nav_entry
from caseapp.exports import jobs
from caseapp.exports.forms import ExportForm, month_choices
from caseapp.exports.service import MIMETYPES, ExportRefused, parse_month, parse_threshold
from caseapp.extensions import db
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


def status_text(status: str) -> str:
    return {
        "pending": _("Being prepared…"),
        "done": _("Ready"),
        "failed": _("Failed: please ask again"),
        "interrupted": _("Interrupted: please ask again"),
    }[status]


def _scope() -> list[int] | None:
    """None (every ward) for analysts; a supervisor's own wards otherwise."""
    if current_user.role == Role.ANALYST:
        return None
    return [w.code for w in visible_wards(current_user)]


def _form(today: dt.date) -> ExportForm:
    form = ExportForm()
    form.month.choices = choices(month_choices(today))
    return form


def _page(form: ExportForm, error: str | None = None) -> str:
    user_jobs = jobs.recent_jobs(int(current_user.id))
    statuses = {job.id: jobs.shown_status(job) for job in user_jobs}
    return render_template(
        "exports/index.html",
        form=form,
        error=error,
        scope=_scope(),
        jobs=user_jobs,
        statuses=statuses,
        status_text=status_text,
        refresh="pending" in statuses.values(),
    )


@bp.route("/")
@allow(Role.SUPERVISOR, Role.ANALYST)
def index() -> str:
    form = _form(hanoi_today())
    # the month just ended is the one usually reported; the current month is still partial
    form.month.data = form.month.choices[min(1, len(form.month.choices) - 1)].value
    return _page(form)


@bp.route("/monthly", methods=["POST"])
@allow(Role.SUPERVISOR, Role.ANALYST)
def request_export() -> BaseResponse | tuple[str, int]:
    """Record the job and go back to the list; or the form again with what to correct (400, nothing kept)."""
    today = hanoi_today()
    form = _form(today)
    error = None
    if form.validate():
        try:
            year, month = parse_month(str(form.month.data), today)
            k = parse_threshold(form.threshold.data)
            if form.fmt.data not in MIMETYPES:
                raise ExportRefused("format", "unknown format")
        except ExportRefused as exc:
            error = refusal_text(exc.code)
        else:
            user_id, fmt = int(current_user.id), str(form.fmt.data)
            jobs.request_export(user_id=user_id, year=year, month=month, fmt=fmt, k=k, wards=_scope())
            flash(_("The file is being prepared; it appears below when ready."), "success")
            return redirect(url_for("exports.index"), 303)
    return _page(form, error), 400


@bp.route("/<uuid:job_id>/file")
@allow(Role.SUPERVISOR, Role.ANALYST)
def download(job_id: uuid.UUID) -> Response:
    job = jobs.own_job(int(current_user.id), job_id)
    if job is None or job.content is None:
        abort(404)
    audit.record(
        "export.downloaded",
        entity_type="export",
        entity_id=job.month,
        details={"sha256": job.sha256},
    )
    db.session.commit()
    headers = {"Content-Disposition": f"attachment; filename={job.download_name}"}
    return Response(job.content, mimetype=MIMETYPES[job.fmt], headers=headers)
