"""An app on an empty database of its own (a SQLite file, or a new database on the test PostgreSQL server),
for tests that need their own settings, the migrations, or a second process on the same database."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, text

from app import create_app
from app.config import TestConfig
from app.extensions import db


@contextmanager
def fresh_app(session_url: str, tmp_path: Path, **settings: object) -> Iterator[Flask]:
    """Yields the app with its app context pushed; the database is dropped afterwards (PostgreSQL)."""
    admin, name = None, f"mf_fresh_{uuid.uuid4().hex[:8]}"
    if session_url.startswith("postgresql"):
        admin = create_engine(session_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = session_url.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
    cfg = type(
        "FreshConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": url, "MEMBERFLOW_STORAGE_DIR": str(tmp_path / "files"), **settings},
    )
    app = create_app(cfg)
    ctx = app.app_context()
    ctx.push()
    try:
        yield app
    finally:
        db.session.remove()
        db.engine.dispose()
        ctx.pop()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()
