"""`flask backup create|restore|verify`: thin wrappers over caseapp.ops.backup."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from caseapp.ops import backup
from caseapp.ops.archive import KEY_NOTE, BackupError

backup_cli = AppGroup("backup", help="Back up, restore and verify the database (never the key ring).")

FILE = click.Path(path_type=Path, dir_okay=False)


@backup_cli.command("create")
@click.option("--out", "out", type=FILE, required=True, help="the backup file to write (must not exist)")
def create(out: Path) -> None:
    """Write a consistent snapshot of the database while the app keeps serving."""
    try:
        manifest = backup.create_backup(out=out)
    except (BackupError, OSError) as exc:  # OSError: a directory not writable, a disk full
        raise click.ClickException(str(exc)) from None
    rows = sum(manifest.tables.values())
    click.echo(f"backup written: {out} ({len(manifest.tables)} tables, {rows} rows, {manifest.dialect})")
    click.secho(KEY_NOTE, fg="yellow", err=True)


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(path_type=Path, dir_okay=False, exists=True))
def restore(archive: Path) -> None:
    """Restore a backup into the configured database, which must be empty."""
    try:
        report = backup.restore_backup(archive=archive)
    except (BackupError, OSError) as exc:  # OSError: a directory not writable, a disk full
        raise click.ClickException(str(exc)) from None
    _echo(report, "restored")


SCRATCH_HELP = "PostgreSQL: an empty database to restore into (default: one made and dropped)"


@backup_cli.command("verify")
@click.argument("archive", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--scratch-url", help=SCRATCH_HELP)
def verify(archive: Path, scratch_url: str | None) -> None:
    """Restore a backup into a scratch database; check its counts and decrypt every value."""
    try:
        report = backup.verify_backup(archive=archive, scratch_url=scratch_url)
    except (BackupError, OSError) as exc:  # OSError: a directory not writable, a disk full
        raise click.ClickException(str(exc)) from None
    _echo(report, "verified")


def _echo(report: backup.CheckReport, done: str) -> None:
    rows = sum(report.rows.values())
    click.echo(f"{len(report.rows)} tables, {rows} rows; {report.values_opened} encrypted values decrypted")
    problems = [*report.count_mismatches, *(f"unknown encrypted column {c}" for c in report.unknown_columns)]
    if report.key_ring_problem:
        problems.append(report.key_ring_problem)
    problems += [f"cannot decrypt {place}" for place in report.decryption.failures]
    for problem in problems:
        click.echo(f"  PROBLEM: {problem}", err=True)
    if not report.ok:
        failed = report.decryption.failed
        raise click.ClickException(f"backup NOT {done}: {len(problems)} problems, {failed} bad values")
    click.echo(f"backup {done}: all counts match; every encrypted value decrypts with the current key ring")
