"""Fixtures for the workflow tests: a second app on a real database, for races between threads."""

import pytest

from app import create_app
from app.config import TestConfig
from app.extensions import db


@pytest.fixture
def file_app(app, tmp_path):
    """A second app on a real database file (or the PostgreSQL test server): separate connections per thread."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = url if url.startswith("postgresql") else f"sqlite:///{tmp_path / 'race.db'}"
        MEMBERFLOW_STORAGE_DIR = str(tmp_path / "files")

    other = create_app(Cfg)
    with other.app_context():
        db.create_all()
    yield other
    if not url.startswith("postgresql"):  # PostgreSQL rows are emptied by the shared clean-up
        with other.app_context():
            db.drop_all()
