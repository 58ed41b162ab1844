"""`flask demo load --seed N [--clients N --contacts N]`: a synthetic programme year for an empty database."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from caseapp.demo.loader import DEFAULT_BATCH, DemoAlreadyLoaded, DemoRefused, ProductionRefused, load_demo

demo_cli = AppGroup("demo", help="Synthetic demo data (never on a server holding real casework).")

REFUSALS = {
    ProductionRefused: "refusing to load demo accounts with a shared password on a production server",
    DemoAlreadyLoaded: "demo data is already loaded; load it into an empty database",
}


@demo_cli.command("load")
@click.option("--seed", type=int, required=True, help="The same seed gives the same data.")
@click.option("--clients", type=click.IntRange(0, 2_000_000), default=300, show_default=True)
@click.option("--contacts", type=click.IntRange(0, 20_000_000), default=1200, show_default=True)
@click.option("--batch-size", type=click.IntRange(100, 100_000), default=DEFAULT_BATCH, show_default=True)
def load(seed: int, clients: int, contacts: int, batch_size: int) -> None:
    """Fill an empty database with a realistic synthetic programme year (42 + 6 wards)."""
    with click.progressbar(length=clients + contacts, label="demo data") as bar:
        try:
            report = load_demo(
                seed=seed,
                clients=clients,
                contacts=contacts,
                batch_size=batch_size,
                env_name=str(current_app.config.get("ENV_NAME", "development")),
                progress=bar.update,
            )
        except DemoRefused as exc:
            message = REFUSALS.get(type(exc), "the database holds real (non-demo) clients or contacts")
            raise click.ClickException(f"{message}; nothing was written") from exc
    click.echo(
        f"{report.wards} programme wards, {report.clients} clients, {report.contacts} contacts "
        f"({report.anonymous_contacts} anonymous), {report.needs} needs, {report.referrals} referrals "
        f"({report.received} received)"
    )
    click.echo(f"{len(report.accounts)} demo accounts, e.g. {', '.join(report.accounts[:3])}")
    click.echo("=" * 64)
    click.echo(f" Password of every demo account (shown once): {report.password}")
    click.echo("=" * 64)
