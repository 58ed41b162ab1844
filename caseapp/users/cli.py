"""`flask users create ...`: accounts from the command line (the first admin, scripted set-up)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from caseapp.auth.services import PasswordRejected
from caseapp.core.access import Role
from caseapp.users import services
from caseapp.users.queries import admin_exists
from caseapp.wards.services import UnknownWards

users_cli = AppGroup("users", help="Staff accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--ward", "wards", type=int, multiple=True, help="Ward code; repeat for several wards.")
@click.option("--name", "display_name", default="", help="Display name (defaults to the username).")
@click.option("--password-stdin", is_flag=True, help="Read the initial password from standard input.")
def create(username: str, role: str, wards: tuple[int, ...], display_name: str, password_stdin: bool) -> None:
    """Create an account and print its one-time password (changed at first login)."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        user, secret = services.create_user(
            username=username,
            display_name=display_name or username,
            role=Role(role),
            ward_codes=wards,
            password=password,
        )
    except services.UsernameTaken as exc:
        raise click.ClickException(f"username {exc} is taken") from exc
    except services.WardsRequired as exc:
        raise click.ClickException("workers and supervisors need at least one --ward CODE") from exc
    except services.InvalidUsername as exc:
        raise click.ClickException("usernames are 3-64 characters of a-z, 0-9, '.', '_', '-'") from exc
    except UnknownWards as exc:
        raise click.ClickException(f"unknown ward codes: {exc}") from exc
    except PasswordRejected as exc:
        raise click.ClickException(f"password rejected: {exc}") from exc
    click.echo(f"created {user.username} ({user.role})")
    if not password:
        click.echo(f"one-time password: {secret}")


@users_cli.command("ensure-admin")
@click.option("--username", default="admin")
@click.option("--url", default="http://127.0.0.1:5000", help="where the server answers (for the message)")
def ensure_admin(username: str, url: str) -> None:
    """Create the first admin with a printed one-time password, unless an admin exists."""
    if admin_exists():
        click.echo("an admin account exists; nothing to do")
        return
    user, secret = services.create_user(username=username, display_name="Administrator", role=Role.ADMIN)
    click.echo("=" * 64)
    click.echo(f" First admin account created: {user.username}")
    click.echo(f" One-time password:           {secret}")
    click.echo(f" Log in at {url} and choose a new password.")
    click.echo("=" * 64)
