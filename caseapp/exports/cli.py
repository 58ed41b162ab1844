"""`flask export monthly`: the month's anonymised aggregate statistics as a file, for the city."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask.cli import AppGroup

from caseapp.core.clock import hanoi_today
from caseapp.core.db import utcnow
from caseapp.exports.files import FORMATS
from caseapp.exports.service import ExportRefused, monthly_export, parse_month, parse_threshold
from caseapp.exports.suppression import ExportUnsafe
from caseapp.extensions import db

export_cli = AppGroup("export", help="Anonymised aggregate statistics for the city.")


@export_cli.command("monthly")
@click.option("--month", required=True, help="The month, as YYYY-MM (e.g. 2026-03).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: its name)."
)
@click.option("--threshold", type=int, default=None, help="Suppression threshold k (default 10, at least 5).")
@click.option(
    "--generated-at",
    type=click.DateTime(formats=["%Y-%m-%dT%H:%M:%S"]),
    default=None,
    help="Generation time (UTC) to state in the file instead of now: equal data then give equal bytes.",
)
def monthly(
    month: str, fmt: str, out: Path | None, threshold: int | None, generated_at: dt.datetime | None
) -> None:
    """Write the month's file: every programme ward, the pooled other wards, the cohorts and the city."""
    try:
        year, number = parse_month(month, hanoi_today())
        k = parse_threshold(threshold)
        target = out or Path(f"caseapp-thong-ke-{year:04d}-{number:02d}.{fmt}")
        if target.exists():
            raise ExportRefused("exists", f"{target} already exists: nothing was written")
        when = (generated_at or utcnow()).replace(tzinfo=dt.UTC, microsecond=0)
        produced = monthly_export(year=year, month=number, fmt=fmt, k=k, wards=None, generated_at=when)
        db.session.commit()
    except ExportRefused as exc:
        raise click.ClickException(str(exc)) from exc
    except ExportUnsafe as exc:
        # never expected: even the fallback (totals only) could not be protected; nothing is written
        raise click.ClickException(f"{exc}: nothing was written; please report it with the month") from exc
    target.write_bytes(produced.content)
    click.echo(f"{target}: {len(produced.content)} bytes, sha256 {produced.sha256} (threshold {k})")
