"""Settings read from the environment; SQLite in ./var is the embedded default."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


DEV_SECRET_KEY = "dev-only-secret-change-me"


def development_defaults_in(config: dict) -> list[str]:
    """Settings that are fine on a developer's machine and dangerous in production."""
    found = []
    if config["SECRET_KEY"] == DEV_SECRET_KEY:
        found.append("SECRET_KEY 仍是开发默认值（任何人都能伪造登录会话）")
    if config.get("MEMBERFLOW_IDENTITY_BACKEND") == "dev":
        found.append("MEMBERFLOW_IDENTITY_BACKEND=dev（人脸核验可由本人在页面上自行通过）")
    if config.get("MEMBERFLOW_SMS_BACKEND") == "dev":
        found.append("MEMBERFLOW_SMS_BACKEND=dev（短信只写入发件箱）")
    if not config.get("SESSION_COOKIE_SECURE"):
        found.append("MEMBERFLOW_HTTPS 未设置（会话 Cookie 可经明文 HTTP 传送）")
    return found


class Config:
    # production unless the developer tooling (scripts/_setup.sh) or the tests say development
    MEMBERFLOW_ENV = os.environ.get("MEMBERFLOW_ENV", "production")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    # signs certificate QR tokens; separate so that rotating SECRET_KEY (sessions) keeps printed QR codes valid
    MEMBERFLOW_CERTIFICATE_KEY = os.environ.get("MEMBERFLOW_CERTIFICATE_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'memberflow.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    # behind HTTPS (production) cookies must never travel over plain HTTP; the dev server has no TLS
    SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = os.environ.get("MEMBERFLOW_HTTPS") == "1"
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = int(os.environ.get("MEMBERFLOW_MAX_REQUEST_BYTES", 64 * 1024 * 1024))
    MEMBERFLOW_PROCESSES_DIR = os.environ.get("MEMBERFLOW_PROCESSES_DIR", str(ROOT / "processes"))
    MEMBERFLOW_RULES_DIR = os.environ.get("MEMBERFLOW_RULES_DIR", str(ROOT / "rules"))
    MEMBERFLOW_FORMS_DIR = os.environ.get("MEMBERFLOW_FORMS_DIR", str(ROOT / "forms"))
    MEMBERFLOW_STORAGE_DIR = os.environ.get("MEMBERFLOW_STORAGE_DIR", str(ROOT / "var" / "files"))
    MEMBERFLOW_MAX_UPLOAD_BYTES = int(os.environ.get("MEMBERFLOW_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
    # R-TRF-9: days a pre-filing firm has to complete its filing before its members move to custody (README)
    MEMBERFLOW_PREFILING_DAYS = int(os.environ.get("MEMBERFLOW_PREFILING_DAYS", 90))
    MEMBERFLOW_INBOX_PAGE_SIZE = 20
    # the script budget (app/engine/guard.py): wall time per engine run, and the largest list/string a script builds
    MEMBERFLOW_SCRIPT_SECONDS = float(os.environ.get("MEMBERFLOW_SCRIPT_SECONDS", 1.0))
    MEMBERFLOW_SCRIPT_MAX_ITEMS = int(os.environ.get("MEMBERFLOW_SCRIPT_MAX_ITEMS", 1_000_000))
    MEMBERFLOW_SCRIPT_MAX_CHARS = int(os.environ.get("MEMBERFLOW_SCRIPT_MAX_CHARS", 10_000_000))
    # stored times are UTC; pages show them in the association's time zone
    MEMBERFLOW_TIMEZONE = os.environ.get("MEMBERFLOW_TIMEZONE", "Asia/Shanghai")
    # third-party integrations behind interfaces; "dev" is the only backend so far (README)
    MEMBERFLOW_IDENTITY_BACKEND = os.environ.get("MEMBERFLOW_IDENTITY_BACKEND", "dev")
    MEMBERFLOW_SMS_BACKEND = os.environ.get("MEMBERFLOW_SMS_BACKEND", "dev")
    # the dev name-ID check refuses these names, as the real service refuses a mismatch
    MEMBERFLOW_DEV_MISMATCH_NAMES = ("不匹配",)


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    # scrypt costs ~50 ms a hash; tests create many users, the production default stays scrypt
    MEMBERFLOW_PASSWORD_METHOD = "pbkdf2:sha256:1000"
    SQLALCHEMY_DATABASE_URI = os.environ.get("MEMBERFLOW_TEST_DATABASE_URL", "sqlite://")
