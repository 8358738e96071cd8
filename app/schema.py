"""The database schema is built and changed by the Alembic migrations in migrations/ (README: Migrations)."""

from pathlib import Path

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import create_engine, inspect

from app.extensions import db

BASELINE = "0001_baseline"  # the schema of the last release made with db.create_all(), before migrations


def _directory() -> str:
    return str(current_app.extensions["migrate"].directory)


def revisions() -> list[str]:
    """Every revision id, baseline first, head last."""
    return [r.revision for r in reversed(list(ScriptDirectory(_directory()).walk_revisions()))]


def current_revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _columns(bind) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    inspector = inspect(bind)
    return {
        t: {c["name"] for c in inspector.get_columns(t)} for t in inspector.get_table_names() if t != "alembic_version"
    }


def baseline_columns() -> dict[str, set[str]]:
    """The tables and columns the baseline migration creates (run into a scratch in-memory SQLite)."""
    baseline = ScriptDirectory(_directory()).get_revision(BASELINE)
    assert baseline is not None and baseline.module is not None
    engine = create_engine("sqlite://")
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        baseline.module.upgrade()
        return _columns(conn)


def upgrade_database() -> str:
    """Bring the app's database to the newest schema; says what it did.

    A database with no revision recorded but tables present was made by db.create_all() before migrations
    existed: if it has the baseline's tables and columns it is stamped as the baseline and upgraded like any
    other; if it is older still, nothing can upgrade it and it is refused (the demo loader rebuilds it).
    """
    if current_revision() is None and _columns(db.engine):
        have, need = _columns(db.engine), baseline_columns()
        missing = [f"{t}.{c}" for t, cols in need.items() for c in sorted(cols - have.get(t, set()))]
        if missing:
            raise OutdatedDatabase(missing)
        flask_migrate.stamp(revision=BASELINE)
    before = current_revision()
    flask_migrate.upgrade()
    after = current_revision()
    return f"database schema at {after}" + (f" (upgraded from {before})" if before != after else "")


class OutdatedDatabase(Exception):
    """A database made before the baseline schema, without migrations: it cannot be upgraded."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"database older than the baseline schema (missing {', '.join(missing[:5])}…)")
        self.missing = missing


def drop_everything() -> None:
    """Every table of the models and Alembic's version table (for rebuilding a demo database)."""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def schema_diff() -> list:
    """Differences between the database and the models (Alembic autogenerate); empty when the migrations are
    complete. The same comparison as `flask db migrate`, with the same options (types compared too)."""
    options = dict(current_app.extensions["migrate"].configure_args)
    options.pop("render_as_batch", None)
    with db.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts=options), db.metadata)


def migrations_path() -> Path:
    return Path(_directory())
