"""`flask wards ...`: load the official list, set cohorts, import cohorts from CSV."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from caseapp.wards import services
from caseapp.wards.queries import cohort_counts

wards_cli = AppGroup("wards", help="Wards and programme cohorts.")


@wards_cli.command("load")
def load() -> None:
    """Load the 126 wards and communes of Hà Nội from the shipped data file."""
    added = services.load_reference_wards()
    click.echo(f"{added} wards added; cohorts: {cohort_counts()}")


@wards_cli.command("cohort")
@click.option("--year", required=True, help="2025, 2026, or 'none' to take wards out of the programme.")
@click.argument("codes", nargs=-1, type=int, required=True)
def cohort(year: str, codes: tuple[int, ...]) -> None:
    """Put the wards with these codes into a programme cohort."""
    try:
        wards = services.set_cohort(codes=codes, cohort=services.parse_cohort(year))
    except services.UnknownWards as exc:
        raise click.ClickException(f"unknown ward codes: {exc}; nothing changed") from exc
    except services.InvalidCohort as exc:
        raise click.ClickException(f"--year must be 2025, 2026 or none, not {exc}") from exc
    click.echo(f"{len(wards)} wards set to cohort {year}")


@wards_cli.command("import-cohorts")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_cohorts(csv_file: Path) -> None:
    """Set cohorts from a CSV with the header `code,cohort`; any bad row rejects the file."""
    try:
        count = services.import_cohorts_csv(content=csv_file.read_bytes())
    except services.InvalidCohortFile as exc:
        for err in exc.errors:
            click.echo(f"line {err.line}: {err.reason}", err=True)
        raise click.ClickException("nothing was imported") from exc
    click.echo(f"cohorts set for {count} wards")
