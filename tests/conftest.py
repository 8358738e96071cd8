"""Shared fixtures: one app per session, every table emptied after each test, factories as callables."""

import os

os.environ.setdefault("MEMBERFLOW_ENV", "development")  # benchmarks run in-process by tests build non-test apps

import pytest
from flask import g, request_started

from app import clock, create_app
from app.config import TestConfig
from app.extensions import db


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    class Cfg(TestConfig):
        MEMBERFLOW_STORAGE_DIR = str(tmp_path_factory.mktemp("files"))
        MEMBERFLOW_DEV_PAYMENT_KEY = str(tmp_path_factory.mktemp("keys") / "dev-payment-provider.pem")

    app = create_app(Cfg)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()


def empty_tables() -> None:
    """Roll back what is left, then delete every row (same on SQLite and PostgreSQL); the session is removed."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    db.session.remove()


@pytest.fixture(autouse=True)
def _clean(app):
    """Each test starts from empty tables and an unmoved clock (same on SQLite and PostgreSQL)."""
    clock.reset()
    ctx = app.app_context()
    ctx.push()
    yield
    empty_tables()
    from app.engine import specs

    specs.reset_to_files(app)  # a test that published in the workbench leaves the files' catalog behind
    ctx.pop()
    clock.reset()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app):
    """Per-IP rate limits start from zero in each test (memory storage): no test waits for a window."""
    from app.accounts.limits import limiter

    limiter.reset()


@pytest.fixture(autouse=True)
def _user_per_request(app):
    """Each request finds its own user: the test's app context outlives requests, and Flask-Login caches in g."""

    def forget(sender, **extra):
        g.pop("_login_user", None)

    request_started.connect(forget, app)
    yield
    request_started.disconnect(forget, app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(app):
    """The demo organisations and one user per role (app/demo.py), committed."""
    from app.demo import load_demo

    w = load_demo()
    db.session.commit()
    return w


@pytest.fixture
def make_png():
    """Returns a callable making a small valid PNG (bytes); `seed` changes the pixels and so the hash."""
    import io

    from PIL import Image

    def make(seed: int = 0) -> bytes:
        buf = io.BytesIO()
        Image.new("RGB", (8, 8), (seed % 256, 80, 120)).save(buf, "PNG")
        return buf.getvalue()

    return make


@pytest.fixture
def upload(make_png):
    """Returns a callable storing an image as `user` and giving the form value {"id","name","mime"}."""
    import io

    from werkzeug.datastructures import FileStorage

    from app.files.services import as_form_value, store_upload

    def make(user, name: str = "scan.png", content: bytes | None = None) -> dict:
        data = content if content is not None else make_png(hash(name))
        return as_form_value(store_upload(FileStorage(io.BytesIO(data), filename=name), user.id))

    return make


@pytest.fixture
def clock_at():
    """Returns a callable moving the clock to a UTC instant (`"2026-12-31T23:30"`); the clean-up resets it."""
    from datetime import UTC, datetime

    def move(moment: str) -> None:
        clock.advance(datetime.fromisoformat(moment).replace(tzinfo=UTC) - clock.now())

    return move


@pytest.fixture
def second_app(app, tmp_path):
    """Returns a callable making another app on a real database (a file, or the PostgreSQL test server), with
    settings of its own (`second_app(MEMBERFLOW_X=…)`): separate connections per thread, for races and servers."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    made = []

    def make(name: str = "race", **settings: object):
        class Cfg(TestConfig):
            SQLALCHEMY_DATABASE_URI = url if url.startswith("postgresql") else f"sqlite:///{tmp_path / f'{name}.db'}"
            MEMBERFLOW_STORAGE_DIR = str(tmp_path / "files")
            MEMBERFLOW_DEV_PAYMENT_KEY = app.config["MEMBERFLOW_DEV_PAYMENT_KEY"]

        for key, value in settings.items():
            setattr(Cfg, key, value)
        other = create_app(Cfg)
        with other.app_context():
            db.create_all()
        made.append(other)
        return other

    yield make
    if not url.startswith("postgresql"):  # PostgreSQL rows are emptied by the shared clean-up
        for other in made:
            with other.app_context():
                db.drop_all()


@pytest.fixture
def file_app(second_app):
    """A second app on a real database file (or the PostgreSQL test server): separate connections per thread."""
    return second_app()
