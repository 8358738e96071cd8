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
    cfg = make(MEMBERFLOW_ENV="production", SECRET_KEY="s" * 40, SESSION_COOKIE_SECURE=True)
    with pytest.raises(RuntimeError) as err:
        create_app(cfg)
    assert "MEMBERFLOW_IDENTITY_BACKEND=dev" in str(err.value) and "SECRET_KEY" not in str(err.value)


def test_the_developer_tooling_may_use_the_defaults(tmp_path):
    app = create_app(make(MEMBERFLOW_ENV="development", MEMBERFLOW_STORAGE_DIR=str(tmp_path)))
    assert app.config["SECRET_KEY"] == "dev-only-secret-change-me"


def real(**settings):
    """Production settings that pass every guard except the one a test breaks."""
    base = {
        "MEMBERFLOW_ENV": "production",
        "SECRET_KEY": "k" * 32,
        "SESSION_COOKIE_SECURE": True,
        "MEMBERFLOW_IDENTITY_BACKEND": "real",
        "MEMBERFLOW_SMS_BACKEND": "real",
    }
    from app.config import development_defaults_in, normalize_settings

    config = {**base, **settings}
    normalize_settings(config)
    return development_defaults_in(config)


@pytest.mark.parametrize("key", ["", "short-but-not-dev", "x" * 31, "密" * 10])
def test_production_refuses_an_empty_or_short_secret_key(key):
    assert any("SECRET_KEY" in found for found in real(SECRET_KEY=key)), key


def test_a_32_byte_secret_key_is_enough():
    assert real() == []
    assert real(SECRET_KEY="密" * 11) == []  # 33 bytes in UTF-8


@pytest.mark.parametrize("name", ["DEV", "Dev", " dev "])
def test_backend_names_are_case_insensitive(name):
    found = real(MEMBERFLOW_SMS_BACKEND=name, MEMBERFLOW_IDENTITY_BACKEND=name)
    assert any("MEMBERFLOW_SMS_BACKEND=dev" in f for f in found)
    assert any("MEMBERFLOW_IDENTITY_BACKEND=dev" in f for f in found)


def test_an_uppercase_dev_backend_still_sends_to_the_outbox(tmp_path):
    cfg = make(MEMBERFLOW_ENV="Development", MEMBERFLOW_SMS_BACKEND="DEV", MEMBERFLOW_STORAGE_DIR=str(tmp_path))
    app = create_app(cfg)
    assert app.config["MEMBERFLOW_SMS_BACKEND"] == "dev" and app.config["MEMBERFLOW_ENV"] == "development"


def test_an_empty_secret_key_is_refused_at_start_in_production():
    cfg = make(MEMBERFLOW_ENV="production", SECRET_KEY="")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(cfg)
