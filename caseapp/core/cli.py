"""Cross-cutting commands: `flask setup` (migrate, wards, first admin) and `flask audit verify`."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from caseapp.core.audit import verify_chain

audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
def verify() -> None:
    """Recompute the hash chain; name the first event that was edited, removed or reordered."""
    report = verify_chain()
    if report.ok:
        click.echo(f"audit chain intact: {report.checked} events verified")
        return
    raise click.ClickException(
        f"audit chain BROKEN at event #{report.broken_seq} (row id {report.broken_id}): {report.problem}; "
        f"{report.checked} events before it are intact"
    )


@click.command("setup")
@click.option("--url", default="http://127.0.0.1:5000", help="where the server will answer (for the message)")
@with_appcontext
def setup_command(url: str) -> None:
    """Bring the database up to date, load the wards, and create the first admin if there is none."""
    from caseapp.users.cli import ensure_admin
    from caseapp.wards.services import load_reference_wards

    upgrade(revision="heads")
    added = load_reference_wards()
    click.echo(f"database up to date; {added} wards added")
    ctx = click.get_current_context()
    ctx.invoke(ensure_admin, url=url)
