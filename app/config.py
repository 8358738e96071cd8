"""Settings read from the environment; SQLite in ./var is the embedded default."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


DEV_SECRET_KEY = "dev-only-secret-change-me"
MIN_SECRET_KEY_BYTES = 32
# names that select something; compared lower-case, so DEV, Dev and dev are one backend
CASE_INSENSITIVE = (
    "MEMBERFLOW_ENV",
    "MEMBERFLOW_IDENTITY_BACKEND",
    "MEMBERFLOW_SMS_BACKEND",
    "MEMBERFLOW_STORAGE_BACKEND",
    "MEMBERFLOW_LOG_FORMAT",
    "MEMBERFLOW_PAYMENT_BACKEND",
)


def normalize_settings(config: dict) -> None:
    for key in CASE_INSENSITIVE:
        if isinstance(config.get(key), str):
            config[key] = config[key].strip().lower()


# the CJK font PDFs embed (certificates, the firm admin template): Debian's fonts-noto-cjk by default, installed by
# scripts/_setup.sh; face 2 of that collection is "Noto Sans CJK SC" (a .ttf has only face 0)
CJK_FONT_PATH = Path(os.environ.get("MEMBERFLOW_CJK_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"))
CJK_FONT_FACE = int(os.environ.get("MEMBERFLOW_CJK_FONT_FACE", 2))


def development_defaults_in(config: dict) -> list[str]:
    """Settings that are fine on a developer's machine and dangerous in production."""
    found = []
    key = config["SECRET_KEY"] or ""
    if key == DEV_SECRET_KEY:
        found.append("SECRET_KEY 仍是开发默认值（任何人都能伪造登录会话）")
    elif len(key.encode() if isinstance(key, str) else key) < MIN_SECRET_KEY_BYTES:
        found.append(f"SECRET_KEY 为空或短于 {MIN_SECRET_KEY_BYTES} 字节（可被猜出，会话可被伪造）")
    if config.get("MEMBERFLOW_IDENTITY_BACKEND") == "dev":
        found.append("MEMBERFLOW_IDENTITY_BACKEND=dev（人脸核验可由本人在页面上自行通过）")
    if config.get("MEMBERFLOW_SMS_BACKEND") == "dev":
        found.append("MEMBERFLOW_SMS_BACKEND=dev（短信只写入发件箱）")
    if config.get("MEMBERFLOW_PAYMENT_BACKEND") == "dev":
        found.append("MEMBERFLOW_PAYMENT_BACKEND=dev（模拟收银台，任何人都能“支付”）")
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
    # the decision log keeps each DMN evaluation this many days (`flask memberflow decisions purge` deletes older)
    MEMBERFLOW_DECISION_LOG_DAYS = int(os.environ.get("MEMBERFLOW_DECISION_LOG_DAYS", 730))
    MEMBERFLOW_INBOX_PAGE_SIZE = 20
    # the script budget (app/engine/guard.py): wall time per engine run, and the largest list/string a script builds
    MEMBERFLOW_SCRIPT_SECONDS = float(os.environ.get("MEMBERFLOW_SCRIPT_SECONDS", 1.0))
    MEMBERFLOW_SCRIPT_MAX_ITEMS = int(os.environ.get("MEMBERFLOW_SCRIPT_MAX_ITEMS", 1_000_000))
    # live workflows each worker keeps between completions (app/engine/live.py): at most this many, and about this
    # many MB of memory (an estimate from the stored state's size); 0 entries turns the cache off
    MEMBERFLOW_WORKFLOW_CACHE_ENTRIES = int(os.environ.get("MEMBERFLOW_WORKFLOW_CACHE_ENTRIES", 256))
    MEMBERFLOW_WORKFLOW_CACHE_MB = int(os.environ.get("MEMBERFLOW_WORKFLOW_CACHE_MB", 64))
    MEMBERFLOW_SCRIPT_MAX_CHARS = int(os.environ.get("MEMBERFLOW_SCRIPT_MAX_CHARS", 10_000_000))
    # the association that speaks where nothing names one (login SMS signature); the neutral header title
    MEMBERFLOW_DEFAULT_SOCIETY = os.environ.get("MEMBERFLOW_DEFAULT_SOCIETY", "cas")
    # payments (R-AUC-6): dev = the local stand-in provider for every method; live = WeChat Pay and Alipay on their
    # SDKs (app/payments/providers.py), the bank gateway not connected yet. Keys: PEM text or a PEM file's path
    MEMBERFLOW_PAYMENT_BACKEND = os.environ.get("MEMBERFLOW_PAYMENT_BACKEND", "dev")
    MEMBERFLOW_WECHATPAY_MCHID = os.environ.get("MEMBERFLOW_WECHATPAY_MCHID")
    MEMBERFLOW_WECHATPAY_APPID = os.environ.get("MEMBERFLOW_WECHATPAY_APPID")
    MEMBERFLOW_WECHATPAY_CERT_SERIAL_NO = os.environ.get("MEMBERFLOW_WECHATPAY_CERT_SERIAL_NO")
    MEMBERFLOW_WECHATPAY_PRIVATE_KEY = os.environ.get("MEMBERFLOW_WECHATPAY_PRIVATE_KEY")
    MEMBERFLOW_WECHATPAY_APIV3_KEY = os.environ.get("MEMBERFLOW_WECHATPAY_APIV3_KEY")
    MEMBERFLOW_WECHATPAY_PUBLIC_KEY = os.environ.get("MEMBERFLOW_WECHATPAY_PUBLIC_KEY")
    MEMBERFLOW_WECHATPAY_PUBLIC_KEY_ID = os.environ.get("MEMBERFLOW_WECHATPAY_PUBLIC_KEY_ID")
    MEMBERFLOW_ALIPAY_APPID = os.environ.get("MEMBERFLOW_ALIPAY_APPID")
    MEMBERFLOW_ALIPAY_PRIVATE_KEY = os.environ.get("MEMBERFLOW_ALIPAY_PRIVATE_KEY")
    MEMBERFLOW_ALIPAY_PUBLIC_KEY = os.environ.get("MEMBERFLOW_ALIPAY_PUBLIC_KEY")
    MEMBERFLOW_ALIPAY_SANDBOX = os.environ.get("MEMBERFLOW_ALIPAY_SANDBOX", "0")
    MEMBERFLOW_PAYMENT_EXPIRY_MINUTES = int(os.environ.get("MEMBERFLOW_PAYMENT_EXPIRY_MINUTES", 120))
    MEMBERFLOW_DEV_PAYMENT_KEY = os.environ.get(
        "MEMBERFLOW_DEV_PAYMENT_KEY", str(ROOT / "var" / "dev-payment-provider.pem")
    )
    MEMBERFLOW_DEV_PAYMENT_DELIVERY = os.environ.get("MEMBERFLOW_DEV_PAYMENT_DELIVERY", "http")
    # import files (issue 14) are worked on in a background thread whose progress row the page polls
    MEMBERFLOW_IMPORT_DELIVERY = "thread"
    MEMBERFLOW_PLATFORM_TITLE = os.environ.get("MEMBERFLOW_PLATFORM_TITLE", "协会会员业务办理平台")
    # stored times are UTC; pages show them in the association's time zone
    MEMBERFLOW_TIMEZONE = os.environ.get("MEMBERFLOW_TIMEZONE", "Asia/Shanghai")
    # third-party integrations behind interfaces; "dev" is the only backend so far (README)
    MEMBERFLOW_IDENTITY_BACKEND = os.environ.get("MEMBERFLOW_IDENTITY_BACKEND", "dev")
    MEMBERFLOW_SMS_BACKEND = os.environ.get("MEMBERFLOW_SMS_BACKEND", "dev")
    # per-IP rate limits (app/accounts/limits.py, README): failed logins, SMS codes sent, registrations
    RATELIMIT_STORAGE_URI = os.environ.get("MEMBERFLOW_RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = os.environ.get("MEMBERFLOW_RATELIMIT_ENABLED", "1") != "0"
    MEMBERFLOW_RATELIMIT_LOGIN = os.environ.get("MEMBERFLOW_RATELIMIT_LOGIN", "10 per minute;100 per hour")
    MEMBERFLOW_RATELIMIT_SMS = os.environ.get("MEMBERFLOW_RATELIMIT_SMS", "10 per minute;30 per hour")
    MEMBERFLOW_RATELIMIT_REGISTER = os.environ.get("MEMBERFLOW_RATELIMIT_REGISTER", "10 per hour")
    # the dev name-ID check refuses these names, as the real service refuses a mismatch
    MEMBERFLOW_DEV_MISMATCH_NAMES = ("不匹配",)
    # serving (README: Settings): proxies in front that set X-Forwarded-* (0: trust none), the base URL people
    # reach (absolute links: QR codes, SMS); without it links are built from the request
    MEMBERFLOW_PROXY_COUNT = int(os.environ.get("MEMBERFLOW_PROXY_COUNT", 0))
    MEMBERFLOW_PUBLIC_URL = os.environ.get("MEMBERFLOW_PUBLIC_URL", "").rstrip("/") or None
    # the scheduler wakes at each due timer and looks for new ones at least every this many seconds; /healthz fails
    # when its last sweep is older than the max age
    MEMBERFLOW_TIMER_POLL_SECONDS = float(os.environ.get("MEMBERFLOW_TIMER_POLL_SECONDS", 1))
    # the workbench (issue 17): each worker checks at most this often whether a new version was published
    MEMBERFLOW_CATALOG_CHECK_SECONDS = float(os.environ.get("MEMBERFLOW_CATALOG_CHECK_SECONDS", 2))
    # the reviewers' daily digest of new and overdue tasks goes out at this hour (MEMBERFLOW_TIMEZONE)
    MEMBERFLOW_DIGEST_HOUR = int(os.environ.get("MEMBERFLOW_DIGEST_HOUR", 8))
    MEMBERFLOW_HEARTBEAT_MAX_AGE_SECONDS = float(os.environ.get("MEMBERFLOW_HEARTBEAT_MAX_AGE_SECONDS", 60))
    # several schedulers may run; one holds the lease (app/scheduler_lease.py), a standby takes over after it expires
    MEMBERFLOW_SCHEDULER_LEASE_SECONDS = float(os.environ.get("MEMBERFLOW_SCHEDULER_LEASE_SECONDS", 15))
    # uploads (app/files/storage.py): "local" (MEMBERFLOW_STORAGE_DIR) or "s3" (any S3-compatible store, boto3;
    # credentials from boto3's usual sources: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, an instance role …)
    MEMBERFLOW_STORAGE_BACKEND = os.environ.get("MEMBERFLOW_STORAGE_BACKEND", "local")
    MEMBERFLOW_S3_BUCKET = os.environ.get("MEMBERFLOW_S3_BUCKET", "")
    MEMBERFLOW_S3_PREFIX = os.environ.get("MEMBERFLOW_S3_PREFIX", "files/")
    MEMBERFLOW_S3_ENDPOINT_URL = os.environ.get("MEMBERFLOW_S3_ENDPOINT_URL") or None
    MEMBERFLOW_S3_REGION = os.environ.get("MEMBERFLOW_S3_REGION") or None
    # logs (app/logs.py): "text" or "json" (one JSON object a line), each line with the request id
    MEMBERFLOW_LOG_FORMAT = os.environ.get("MEMBERFLOW_LOG_FORMAT", "text")
    MEMBERFLOW_LOG_LEVEL = os.environ.get("MEMBERFLOW_LOG_LEVEL", "INFO")
    # development only: app.clock.now() adds the offset stored by `flask memberflow clock …` (never in production)
    MEMBERFLOW_DEV_CLOCK = MEMBERFLOW_ENV == "development" and os.environ.get("MEMBERFLOW_DEV_CLOCK", "1") == "1"


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    # scrypt costs ~50 ms a hash; tests create many users, the production default stays scrypt
    MEMBERFLOW_PASSWORD_METHOD = "pbkdf2:sha256:1000"
    SQLALCHEMY_DATABASE_URI = os.environ.get("MEMBERFLOW_TEST_DATABASE_URL", "sqlite://")
    MEMBERFLOW_DEV_CLOCK = False  # tests move app.clock in-process
    # a request checks the workbench catalog's generation (one statement) only in the tests that ask for it
    # (tests/workbench/test_wb_workers.py): the statement bounds stay exact whatever the machine's speed
    MEMBERFLOW_CATALOG_CHECK_SECONDS = 3600.0
    MEMBERFLOW_DEV_PAYMENT_DELIVERY = "inline"  # the stand-in provider's callback runs in the paying request
    MEMBERFLOW_IMPORT_DELIVERY = "inline"  # an import file is worked on in the uploading request
