"""The demo world on a temp-file SQLite database, for the benchmarks that time one kind of request in-process."""

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app import create_app
from app.config import Config
from app.demo import World, load_demo
from app.extensions import db


@contextlib.contextmanager
def demo_world(prefix: str) -> Iterator[World]:
    """Inside an app and a request context, the demo loaded and committed; the database and files go afterwards."""
    work = Path(tempfile.mkdtemp(prefix=prefix))

    class Cfg(Config):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{work / 'bench.db'}"
        MEMBERFLOW_STORAGE_DIR = str(work / "files")
        MEMBERFLOW_DEV_PAYMENT_KEY = str(work / "dev-payment.pem")
        MEMBERFLOW_PASSWORD_METHOD = "pbkdf2:sha256:1000"

    try:
        app = create_app(Cfg)
        with app.app_context(), app.test_request_context():
            db.create_all()
            world = load_demo()
            db.session.commit()
            yield world
    finally:
        shutil.rmtree(work, ignore_errors=True)
