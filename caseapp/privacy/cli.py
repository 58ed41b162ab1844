"""`flask retention apply`: erase the personal data of cases closed longer ago than the retention period."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from caseapp.privacy.retention import apply_retention

retention_cli = AppGroup("retention", help="Retention of personal data after a case is closed.")


@retention_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Only count the clients that would be erased.")
def apply(dry_run: bool) -> None:
    """Erase the personal data of every case closed more than RETENTION_DAYS_AFTER_CLOSE days ago."""
    result = apply_retention(dry_run=dry_run)
    days = current_app.config["RETENTION_DAYS_AFTER_CLOSE"]
    verb = "would be erased" if dry_run else "erased"
    click.echo(
        f"retention ({days} days after closing): {result.erased} clients closed before "
        f"{result.closed_before:%d/%m/%Y} {verb}"
    )
