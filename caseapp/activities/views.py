"""Activity register (scoped to the user's wards), reach dashboard, targets and CSV import."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from caseapp.activities import imports, services
from caseapp.activities.chart import cumulative_chart
from caseapp.activities.forms import ActivityForm, ImportForm, TargetsForm, year_choices
from caseapp.activities.labels import AUDIENCE_LABELS, COLUMN_LABELS, KIND_LABELS, MEASURE_LABELS, reason_text
from caseapp.activities.models import Activity, TargetMeasure
from caseapp.activities.queries import (
    PAGE_SIZE,
    count_activities,
    get_editable_activity_or_404,
    list_activities,
    ward_names,
)
from caseapp.activities.reach import reach_report
from caseapp.activities.rules import ActivityFields, ActivityInvalid
from caseapp.activities.targets import year_targets
from caseapp.core.access import ALL_ROLES, CASEWORK_ROLES, Role, allow
from caseapp.core.clock import hanoi_today
from caseapp.core.forms import choices
from caseapp.core.nav import add_nav_entry
from caseapp.wards.queries import visible_wards

bp = Blueprint("activities", __name__, url_prefix="/activities", template_folder="templates")
add_nav_entry("activities.index", _l("Activities"), 60)
add_nav_entry("activities.reach", _l("Activity reach"), 61)


@bp.context_processor
def helpers() -> dict[str, object]:
    return {
        "num": format_decimal,
        "kind_labels": KIND_LABELS,
        "audience_labels": AUDIENCE_LABELS,
        "measure_labels": MEASURE_LABELS,
        "column_labels": COLUMN_LABELS,
        "reason_text": reason_text,
    }


def chosen_year() -> int:
    """The year asked for in the query string, if it is a programme year; else this year."""
    year = request.args.get("year", type=int)
    return year if year in dict(year_choices()) else hanoi_today().year


def activity_form(**kwargs: object) -> ActivityForm:
    form = ActivityForm(**kwargs)
    form.ward_code.choices = choices((w.code, w.name) for w in visible_wards(current_user))
    return form


def form_fields(form: ActivityForm) -> ActivityFields:
    data = form.data
    return ActivityFields(**{name: data[name] for name in ActivityFields.__dataclass_fields__})


def show_problems(form: ActivityForm, exc: ActivityInvalid) -> None:
    for problem in exc.problems:
        form[problem.field].errors = [*form[problem.field].errors, reason_text(problem.reason)]


# not "/": the menu marks an entry current by URL prefix, and the reach page lives under /activities too
@bp.route("/register")
@allow(*ALL_ROLES, scoped=True)
def index() -> str:
    year, page = chosen_year(), max(request.args.get("page", 1, type=int), 1)
    activities = list_activities(current_user, year=year, page=page)
    return render_template(
        "activities/index.html",
        activities=activities,
        names=ward_names({a.ward_code for a in activities}),
        total=count_activities(current_user, year=year),
        year=year,
        years=year_choices(),
        page=page,
        page_size=PAGE_SIZE,
        can_edit=current_user.role in CASEWORK_ROLES,
    )


@bp.route("/new", methods=["GET", "POST"])
@allow(Role.WORKER, Role.SUPERVISOR, scoped=True)
def create() -> str | BaseResponse:
    form = activity_form(data={"activity_date": hanoi_today()})
    if form.validate_on_submit():
        try:
            activity = services.record_activity(actor=current_user, fields=form_fields(form))
        except ActivityInvalid as exc:
            show_problems(form, exc)
        else:
            flash(_("Activity recorded."), "success")
            return redirect(url_for("activities.index", year=activity.activity_date.year))
    return render_template("activities/form.html", form=form, activity=None)


@bp.route("/<activity_id>/edit", methods=["GET", "POST"])
@allow(Role.WORKER, Role.SUPERVISOR, scoped=True)
def edit(activity_id: str) -> str | BaseResponse:
    activity = get_editable_activity_or_404(current_user, activity_id)
    form = activity_form(obj=activity)
    if form.validate_on_submit():
        try:
            services.update_activity(actor=current_user, activity=activity, fields=form_fields(form))
        except ActivityInvalid as exc:
            show_problems(form, exc)
        else:
            flash(_("Activity saved."), "success")
            return redirect(url_for("activities.index", year=activity.activity_date.year))
    return render_template("activities/form.html", form=form, activity=activity)


@bp.route("/<activity_id>/delete", methods=["POST"])
@allow(Role.WORKER, Role.SUPERVISOR, scoped=True)
def delete(activity_id: str) -> BaseResponse:
    activity: Activity = get_editable_activity_or_404(current_user, activity_id)
    year = activity.activity_date.year
    services.delete_activity(actor=current_user, activity=activity)
    flash(_("Activity deleted."), "success")
    return redirect(url_for("activities.index", year=year))


@bp.route("/reach")
@allow(*ALL_ROLES, scoped=True)
def reach() -> str:
    report = reach_report(current_user, chosen_year())
    chart = cumulative_chart([*report.audiences, report.trained])
    return render_template("activities/reach.html", report=report, chart=chart, years=year_choices())


@bp.route("/targets", methods=["GET", "POST"])
@allow(Role.ADMIN)
def targets() -> str | BaseResponse:
    year = chosen_year()
    current = year_targets(year)
    form = TargetsForm(data={m.value: v for m, v in current.values.items()})
    if form.validate_on_submit():
        values = {m: form[m.value].data for m in TargetMeasure}
        try:
            services.set_targets(actor=current_user, year=year, values=values)
        except services.TargetInvalid:
            flash(_("A target cannot be negative, and coverage cannot exceed the number of wards."), "error")
        else:
            flash(_("Targets for %(year)s saved.", year=year), "success")
            return redirect(url_for("activities.reach", year=year))
    return render_template("activities/targets.html", form=form, targets=current, years=year_choices())


@bp.route("/import", methods=["GET", "POST"])
@allow(Role.WORKER, Role.SUPERVISOR, scoped=True)
def import_csv() -> str | BaseResponse:
    form = ImportForm()
    form.year.choices = choices(year_choices())
    errors: list[imports.RowError] = []
    if form.validate_on_submit():
        try:
            count = imports.import_activities_csv(
                content=form.file.data.read(), year=form.year.data, actor=current_user
            )
        except imports.ImportRejected as exc:
            errors = exc.errors
        else:
            flash(_("%(count)s activities imported.", count=count), "success")
            return redirect(url_for("activities.index", year=form.year.data))
    wards = visible_wards(current_user)
    return render_template("activities/import.html", form=form, errors=errors, wards=wards)


@bp.route("/import/template.csv")
@allow(Role.WORKER, Role.SUPERVISOR)
def import_template() -> Response:
    # a BOM so Excel opens the Vietnamese text as UTF-8
    body = "\ufeff" + imports.template_csv()
    headers = {"Content-Disposition": "attachment; filename=activities-template.csv"}
    return Response(body, mimetype="text/csv", headers=headers)
