"""The migrations produce exactly the models' schema (no drift), on the database under test."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import Index

from caseapp.extensions import db


def test_migrations_match_models(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def test_single_migration_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", "migrations")
    scripts = ScriptDirectory.from_config(cfg)
    heads = scripts.get_heads()
    assert len(heads) == 1, f"several migration heads {heads}: add a merge revision"
    # alembic_version.version_num is VARCHAR(32): PostgreSQL refuses a longer id (SQLite does not care)
    too_long = [r.revision for r in scripts.walk_revisions() if len(r.revision) > 32]
    assert not too_long, f"revision ids over 32 characters: {too_long}"


def _plain(index: Index) -> bool:
    """Neither unique nor partial: an index that only speeds reads up."""
    partial = any(index.dialect_options[d].get("where") is not None for d in ("postgresql", "sqlite"))
    return not index.unique and not partial


def test_no_index_is_a_leading_part_of_another() -> None:
    """An index on (a, b) beside one on (a, b, c) speeds up nothing and costs a write on every insert
    (migration 0012 dropped one). The primary key counts as an index."""
    redundant = []
    for table in db.metadata.sorted_tables:
        keys = [(f"{table.name} primary key", tuple(c.name for c in table.primary_key.columns))]
        keys += [(str(i.name), tuple(c.name for c in i.columns)) for i in table.indexes if _plain(i)]
        keys += [(str(i.name), tuple(c.name for c in i.columns)) for i in table.indexes if i.unique]
        for index in table.indexes:
            columns = tuple(c.name for c in index.columns)
            if _plain(index):
                redundant += [
                    f"{index.name} {columns} is the start of {name} {wider}"
                    for name, wider in keys
                    if name != index.name and len(wider) > len(columns) and wider[: len(columns)] == columns
                ]
    assert not redundant, redundant
