"""Who is calling the API: the browser session, a Bearer token or HTTP Basic (mobile:password); the CSRF rule."""

from flask import Flask, Request, g, request
from flask_babel import gettext
from flask_login import current_user

from app.accounts.limits import TooManyAttempts, failed_login_counted
from app.accounts.login import AttemptsInFlight, authenticate
from app.accounts.models import User
from app.accounts.tokens import authenticate_token
from app.api.views import bp
from app.errors import DomainError, NotAllowed
from app.extensions import csrf, login_manager

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_ENDPOINTS = frozenset({"api.openapi_document"})


class Unauthenticated(DomainError):
    status = 401


@login_manager.request_loader
def load_user_from_authorization(req: Request) -> User | None:
    """Scripts send `Authorization: Bearer <token>` or `Basic mobile:password`; only API requests are read so."""
    auth = req.authorization
    if req.blueprint != bp.name or auth is None:
        return None
    if auth.type == "bearer":
        return _token_user(auth.token or "")
    if auth.type != "basic":
        return None
    try:
        with failed_login_counted():  # per-IP budget shared with the login page (429 when used up)
            return authenticate(auth.username or "", auth.password or "")
    except (TooManyAttempts, AttemptsInFlight):  # 429 / 503 with Retry-After, not "wrong password"
        raise
    except DomainError:
        return None


def _token_user(secret: str) -> User | None:
    """One indexed lookup; a wrong token is a plain 401 that counts toward no lock and no rate limit."""
    found = authenticate_token(secret)
    if found is None:
        return None
    token, user = found
    g.api_token_identity = (user.id, token.identity)  # app/accounts/rights.py: active_grants
    return user


def install_token_scope(app: Flask) -> None:
    """g can outlive a request (an app context pushed around several): a token's identity must not."""

    @app.before_request
    def _forget_token_identity() -> None:
        g.pop("api_token_identity", None)


# CSRF: Flask-WTF's token check is off for the API, because scripts have no token to send. Instead a
# state-changing call must carry something a cross-site page cannot send without a CORS preflight
# (which this app never grants): an Authorization header, a custom X-Requested-With header, or a JSON
# body. A plain HTML form or a "simple" fetch from another site therefore never reaches a service,
# even if the browser attached the session cookie. No WWW-Authenticate challenge is sent on 401, so a
# browser never prompts for and caches Basic credentials that it would then send by itself.
csrf.exempt(bp)


def _cannot_be_cross_site(req: Request) -> bool:
    return req.authorization is not None or req.headers.get("X-Requested-With") == "XMLHttpRequest" or req.is_json


@bp.before_request
def require_user() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    if not current_user.is_authenticated:
        raise Unauthenticated(_refusal())
    if request.method not in SAFE_METHODS and not _cannot_be_cross_site(request):
        raise NotAllowed(gettext("请求须带 X-Requested-With: XMLHttpRequest 头或 JSON 请求体（防止跨站请求伪造）"))


def _refusal() -> str:
    auth = request.authorization
    if auth is None:
        return "请先登录"
    return "API 令牌无效、已过期或已撤销" if auth.type == "bearer" else "手机号或密码错误"
