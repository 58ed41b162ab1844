"""`flask keys ...`: key status, rotation, re-encryption and retirement (docs/encryption.md, runbook)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from flask.cli import AppGroup

from caseapp.core.crypto import rotation
from caseapp.core.crypto.errors import KeyringError
from caseapp.core.crypto.inventory import counts_by_key, existing
from caseapp.core.crypto.state import current_state

T = TypeVar("T")

keys_cli = AppGroup("keys", help="Field-encryption keys: status, rotate, reencrypt, retire.")

OUTPUT_HELP = "for a key ring held in CASEAPP_KEYRING: write the new key ring to this new file (mode 0600)"
BACKUP_REMINDER = "The key ring changed: BACK UP {path} now (it replaces earlier backups)."


@keys_cli.command("status")
@click.option("--by-column", is_flag=True, help="show counts per encrypted column")
def status(by_column: bool) -> None:
    """How many stored values each key encrypts, over every encrypted column."""
    state = current_state()
    columns = list(existing(rotation.columns_of(state)))
    totals: dict[int, int] = {}
    for column in columns:
        counts = counts_by_key(column)
        for key_id, n in counts.items():
            totals[key_id] = totals.get(key_id, 0) + n
        if by_column:
            detail = ", ".join(f"key {k}: {n}" for k, n in sorted(counts.items())) or "empty"
            click.echo(f"  {column.name}: {detail}")
    click.echo(f"key ring: {state.path or 'CASEAPP_KEYRING'}; {len(columns)} encrypted columns")
    for key_id, role, n in rotation.describe_keys(state, totals):
        click.echo(f"key {key_id:>3}  {role:<26} {n} values")
    pending = sum(n for k, n in totals.items() if k != state.keyring.primary.key_id)
    if pending:
        click.echo(f"{pending} values are under older keys: run `flask keys reencrypt`")


@keys_cli.command("rotate")
@click.option(
    "--stage", is_flag=True, help="add the key as decrypt-only; `keys promote` makes it primary later"
)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), help=OUTPUT_HELP)
def rotate(stage: bool, output: Path | None) -> None:
    """Add a new key and make it primary (old keys stay, decrypt-only)."""
    state = current_state()
    new_id, written = _run(lambda: rotation.rotate(state, stage=stage, output=output))
    role = "added as decrypt-only" if stage else "is now primary"
    click.echo(f"key {new_id} {role}.")
    click.secho(BACKUP_REMINDER.format(path=written), fg="yellow", err=True)
    if not stage:
        click.echo("Next: `flask keys reencrypt`, then `flask keys retire OLD_KEY_ID`.")


@keys_cli.command("promote")
@click.argument("key_id", type=int)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), help=OUTPUT_HELP)
def promote(key_id: int, output: Path | None) -> None:
    """Make a staged key the primary key."""
    state = current_state()
    written = _run(lambda: rotation.promote(state, key_id, output=output))
    click.echo(f"key {key_id} is now primary.")
    click.secho(BACKUP_REMINDER.format(path=written), fg="yellow", err=True)


@keys_cli.command("reencrypt")
@click.option("--batch-size", default=rotation.DEFAULT_BATCH_SIZE, show_default=True, type=click.IntRange(1))
def reencrypt(batch_size: int) -> None:
    """Re-encrypt every value under an older key with the primary key; safe to stop and run again."""
    state = current_state()
    pending = rotation.pending_count(state)
    with click.progressbar(length=pending, label="re-encrypting", file=sys.stderr) as bar:
        report = rotation.reencrypt(state, batch_size=batch_size, progress=bar.update)
    click.echo(f"{report.reencrypted} values re-encrypted under key {state.keyring.primary.key_id}.")
    if report.skipped_changed:
        click.echo(f"{report.skipped_changed} values changed meanwhile; run again to finish them.")
    if report.failed:
        for place in report.failed:
            click.echo(f"cannot decrypt {place}", err=True)
        raise click.ClickException(f"{len(report.failed)} values could not be decrypted (listed above)")


@keys_cli.command("retire")
@click.argument("key_id", type=int)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), help=OUTPUT_HELP)
def retire(key_id: int, output: Path | None) -> None:
    """Destroy an old key; refused while any stored value still uses it."""
    state = current_state()
    written = _run(lambda: rotation.retire(state, key_id, output=output))
    click.echo(f"key {key_id} retired and removed from the key ring.")
    click.secho(BACKUP_REMINDER.format(path=written), fg="yellow", err=True)


def _run(action: Callable[[], T]) -> T:
    try:
        return action()
    except KeyringError as exc:
        raise click.ClickException(str(exc)) from None
