"""`flask activities ...`: import activities from CSV, print the import template."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from caseapp.activities import imports

activities_cli = AppGroup("activities", help="Programme activities (awareness sessions, trainings).")


@activities_cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, required=True, help="Year of the activities (other years refused).")
def import_file(csv_file: Path, year: int) -> None:
    """Import activities from a CSV (docs/activities-import.md); any bad row rejects the whole file."""
    try:
        count = imports.import_activities_csv(content=csv_file.read_bytes(), year=year, actor=None)
    except imports.ImportRejected as exc:
        for err in exc.errors:
            where = f"line {err.line}" + (f", {err.column}" if err.column else "")
            value = f" ({err.value!r})" if err.value else ""
            click.echo(f"{where}: {err.reason}{value}", err=True)
        raise click.ClickException(f"{len(exc.errors)} problems; nothing was imported") from exc
    click.echo(f"{count} activities imported for {year}")


@activities_cli.command("template")
def template() -> None:
    """Print the CSV template (header and two example rows)."""
    click.echo(imports.template_csv(), nl=False)
