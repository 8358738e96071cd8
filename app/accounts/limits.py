"""Per-IP rate limits (Flask-Limiter): failed logins, sending SMS codes, registration; 429 in Chinese.

The R-ACC-3 lock protects one account; these make a stranger's attempts from one address expensive:
- failed logins (password, SMS code, password-reset code, API Basic auth) share one budget per address:
  only refusals count, so people who log in (and scripts with the right password) never use it up;
- sending an SMS code, on any page, counts towards a second budget (each one costs a message);
- each registration submit (it calls the name-ID check) counts towards a third.
Autosaved drafts and ordinary pages are limited by none. Storage: RATELIMIT_STORAGE_URI (memory:// by
default; with several worker processes use a shared store such as redis://, see README).
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, current_app, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from werkzeug import Response

from app.accounts.login import AttemptsInFlight
from app.errors import DomainError

limiter = Limiter(key_func=get_remote_address, strategy="fixed-window", headers_enabled=True)
MESSAGE = "操作过于频繁，请 {wait} 后再试"


class TooManyAttempts(DomainError):
    status = 429

    def __init__(self, seconds: int):
        super().__init__(MESSAGE.format(wait=_wait(seconds)))
        self.retry_after = seconds


def _wait(seconds: int) -> str:
    return f"{max(1, -(-seconds // 60))} 分钟" if seconds >= 60 else f"{max(1, seconds)} 秒"


@limiter.request_filter
def _api_call() -> bool:
    """The API carries no route limit (its Basic auth counts failures through check_login_budget, below): its calls
    skip the limiter's lookup of the route's limits, ~0.15 ms of CPU each (issue 13). A test keeps it true."""
    return request.blueprint == "api"


@limiter.request_filter
def _page_read() -> bool:
    """Every route limit here counts POSTs only (codes sent, registrations; failed logins count through
    check_login_budget): a GET skips the limiter's lookup of the route's limits, which found none and cost ~0.15 ms
    of every page's CPU (issue 13). A test keeps every route limit POST-only."""
    return request.method in ("GET", "HEAD", "OPTIONS")


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def sending_code() -> bool:
    return request.form.get("action") == "send_code"


# decorators for the pages: every code sent, and every registration submit, counts
sms_limit = limiter.shared_limit(
    _setting("MEMBERFLOW_RATELIMIT_SMS"), scope="sms", methods=["POST"], exempt_when=lambda: not sending_code()
)
register_limit = limiter.limit(
    _setting("MEMBERFLOW_RATELIMIT_REGISTER"), scope="register", methods=["POST"], exempt_when=sending_code
)


def _login_items() -> list[RateLimitItem]:
    return parse_many(current_app.config["MEMBERFLOW_RATELIMIT_LOGIN"])


def check_login_budget() -> None:
    """Refuse before any password or code is checked when this address has used up its failures."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    address = get_remote_address()
    for item in _login_items():
        if not limiter.limiter.test(item, "failed-login", address):
            reset_at, _ = limiter.limiter.get_window_stats(item, "failed-login", address)
            raise TooManyAttempts(max(1, int(reset_at - time.time())))  # the storage's own (real) clock


def count_failed_login() -> None:
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    address = get_remote_address()
    for item in _login_items():
        limiter.limiter.hit(item, "failed-login", address)


@contextmanager
def failed_login_counted() -> Iterator[None]:
    """Around one login-like check: refused up front when over budget; a refusal then counts."""
    check_login_budget()
    try:
        yield
    except AttemptsInFlight:
        raise  # nothing was checked: not a failure of this address
    except DomainError:
        count_failed_login()
        raise


def install_rate_limits(app: Flask) -> None:
    """One Flask-Limiter object serves the process's app: its enabled flag and storage are the last
    initialised app's (tests building a second app keep limits enabled and raise the numbers instead). A scenario
    sandbox's throwaway app (app/scenarios/sandbox.py) is built inside a worker: it leaves the worker's limiter, its
    counts and its flag alone (initialising it again would empty the memory storage: every address's failed logins
    forgotten whenever an analyst runs scenarios)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_ENABLED", True)
    if not app.config.get("MEMBERFLOW_SCENARIO_SANDBOX"):
        limiter.init_app(app)

    @app.errorhandler(RateLimitExceeded)
    def _too_many(err: RateLimitExceeded):  # type: ignore[no-untyped-def]
        return _refusal(err.limit.limit.get_expiry())

    @app.errorhandler(TooManyAttempts)
    def _too_many_attempts(err: TooManyAttempts):  # type: ignore[no-untyped-def]
        return _refusal(err.retry_after)


def _refusal(seconds: int) -> tuple[Response | str, int, dict[str, str]]:
    from app.errorpages import _respond

    body, status = _respond(MESSAGE.format(wait=_wait(seconds)), 429)
    return body, status, {"Retry-After": str(seconds)}
