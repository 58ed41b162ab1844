"""caseapp: case management for community reintegration support (Hà Nội, plan 07/KH-UBND)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

import config
from caseapp.extensions import csrf, db, login_manager, migrate


def create_app(config_name: str | None = None, instance_path: str | None = None, **overrides: Any) -> Flask:
    """Build the application: config, extensions, blueprints, error handlers, CLI."""
    app = Flask(__name__, instance_path=instance_path or str(config.INSTANCE_DIR))
    app.config.from_mapping(config.load(config_name, Path(app.instance_path)))
    app.config.from_mapping(overrides)
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    import caseapp.models  # noqa: F401 - every model on the metadata, for migrations
    from caseapp.auth.login import init_login
    from caseapp.core import crypto, i18n, nav, web
    from caseapp.core import db as core_db

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).resolve().parent.parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    login_manager.init_app(app)
    init_login(login_manager)
    i18n.init_app(app)
    core_db.init_app(app)
    crypto.init_app(app)
    web.init_app(app)  # the access policy runs before anything else looks at the request
    csrf.init_app(app)
    nav.init_app(app)


def register_blueprints(app: Flask) -> None:
    from caseapp.activities.views import bp as activities_bp
    from caseapp.audit_ui.views import bp as audit_ui_bp
    from caseapp.auth.views import bp as auth_bp
    from caseapp.clients.views import bp as clients_bp
    from caseapp.contacts.views import bp as contacts_bp
    from caseapp.exports.views import bp as exports_bp
    from caseapp.home.views import bp as home_bp
    from caseapp.indicators.views import bp as indicators_bp
    from caseapp.ops.health import bp as ops_bp
    from caseapp.privacy.views import bp as privacy_bp
    from caseapp.providers.views import bp as providers_bp
    from caseapp.referrals.views import bp as referrals_bp
    from caseapp.targets.views import bp as targets_bp
    from caseapp.users.views import bp as users_bp
    from caseapp.wards.views import bp as wards_bp

    for blueprint in (
        activities_bp,
        audit_ui_bp,
        auth_bp,
        clients_bp,
        contacts_bp,
        exports_bp,
        home_bp,
        indicators_bp,
        ops_bp,
        privacy_bp,
        providers_bp,
        referrals_bp,
        targets_bp,
        users_bp,
        wards_bp,
    ):
        app.register_blueprint(blueprint)


def register_error_handlers(app: Flask) -> None:
    from caseapp.core import errors

    errors.init_app(app)


def register_cli(app: Flask) -> None:
    from caseapp.activities.cli import activities_cli
    from caseapp.core.cli import audit_cli, setup_command
    from caseapp.core.crypto.cli import keys_cli
    from caseapp.demo.cli import demo_cli
    from caseapp.exports.cli import export_cli
    from caseapp.ops.cli import backup_cli
    from caseapp.privacy.cli import retention_cli
    from caseapp.users.cli import users_cli
    from caseapp.wards.cli import wards_cli

    for group in (
        activities_cli,
        audit_cli,
        backup_cli,
        demo_cli,
        export_cli,
        keys_cli,
        retention_cli,
        users_cli,
        wards_cli,
    ):
        app.cli.add_command(group)
    app.cli.add_command(setup_command)
