"""Development defaults never run in production: the app refuses to start with them."""

import pytest

from app import create_app
from app.config import Config


def make(**settings):
    return type("Cfg", (Config,), {"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})


def test_production_with_the_dev_secret_key_is_refused():
    with pytest.raises(RuntimeError, match="SECRET_KEY 仍是开发默认值"):
        create_app(make(MEMBERFLOW_ENV="production"))


def test_production_with_dev_backends_is_refused_even_with_a_real_key():
    cfg = make(MEMBERFLOW_ENV="production", SECRET_KEY="s3cret-from-the-vault", SESSION_COOKIE_SECURE=True)
    with pytest.raises(RuntimeError) as err:
        create_app(cfg)
    assert "MEMBERFLOW_IDENTITY_BACKEND=dev" in str(err.value) and "SECRET_KEY" not in str(err.value)


def test_the_developer_tooling_may_use_the_defaults(tmp_path):
    app = create_app(make(MEMBERFLOW_ENV="development", MEMBERFLOW_STORAGE_DIR=str(tmp_path)))
    assert app.config["SECRET_KEY"] == "dev-only-secret-change-me"
