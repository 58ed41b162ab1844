"""`flask auth reset-second-factor USERNAME`: for an admin who lost both phone and recovery codes."""

from __future__ import annotations

import click
from sqlalchemy import select

from caseapp.auth import second_factor
from caseapp.auth.views import bp
from caseapp.extensions import db
from caseapp.users.models import User


@bp.cli.command("reset-second-factor")
@click.argument("username")
def reset_second_factor(username: str) -> None:
    """Remove USERNAME's second factor and end their sessions; they set it up again at next login."""
    user = db.session.scalars(select(User).where(User.username == username.strip().lower())).one_or_none()
    if user is None:
        raise click.ClickException(f"no account named {username!r}")
    second_factor.reset_second_factor(user=user)
    click.echo(
        f"second factor of {user.username} reset; their sessions have ended, their password is unchanged"
    )
