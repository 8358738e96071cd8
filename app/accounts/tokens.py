"""Personal access tokens for the API: created, listed and revoked by their owner; checked by one lookup.

The secret is 32 random bytes (256 bits), so a fast hash is enough: SHA-256 of it can be neither guessed
nor inverted, and a slow password hash (scrypt, hundreds of ms) would only make every API call slow.
Passwords need slow hashes because people choose guessable ones; nobody chooses these. The lookup is by
the hash, so comparing in constant time protects nothing further.
"""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager

from app import clock
from app.accounts.identity_choice import identities
from app.accounts.models import ApiToken, RoleGrant, User
from app.accounts.rights import lapsed_column, remember_standing
from app.errors import Invalid, NotFound
from app.extensions import db

SECRET_PREFIX = "mfp_"  # memberflow personal token: recognisable in a leaked log or a secret scanner
EXPIRY_DAYS = (30, 90, 365, 0)  # 0: never
LAST_USED_PRECISION = timedelta(minutes=1)  # at most one write per token and minute, not one per call


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: User, name: str, identity_key: str, expiry_days: int) -> tuple[ApiToken, str]:
    """A new token acting as one of the user's identities now; the secret is returned once, never stored."""
    errors = {}
    name = name.strip()
    if not name or len(name) > 100:
        errors["name"] = "请填写令牌名称（不超过 100 字）"
    if identity_key not in {option.key for option in identities(user)}:
        errors["identity"] = "请选择您的一个身份"
    if expiry_days not in EXPIRY_DAYS:
        errors["expiry_days"] = "请选择有效期"
    if errors:
        raise Invalid(gettext("请检查填写的内容"), errors)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_secret(secret),
        prefix=secret[: len(SECRET_PREFIX) + 6],
        identity=identity_key,
        session_generation=user.session_generation,
        created_at=now,
        expires_at=now + timedelta(days=expiry_days) if expiry_days else None,
    )
    db.session.add(token)
    db.session.flush()
    return token, secret


def list_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, newest first, revoked and expired ones included (they say so)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def revoke_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(gettext("令牌不存在"))
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        db.session.flush()
    return token


def token_state(token: ApiToken, user: User) -> str:
    """有效, 已撤销, 已过期 or 已失效 (the account's sessions and tokens were ended: logout, role revoked …)."""
    if token.revoked_at is not None:
        return "已撤销"
    if token.expires_at is not None and token.expires_at <= clock.now():
        return "已过期"
    if token.session_generation != user.session_generation:
        return "已失效"
    return "有效"


# Built once (issue 13): constructing this statement cost more CPU than running it. The user's role grants come
# with it (a row per grant) and so does the person's standing (R-ACC-5): every API request asks both (the
# rights check, may_act), and each read on its own would be a statement.
_BY_HASH = (
    select(ApiToken, User, lapsed_column(User.id, bindparam("today")))
    .join(User, ApiToken.user_id == User.id)
    .outerjoin(User.grants)
    .options(contains_eager(User.grants))
    .where(ApiToken.token_hash == bindparam("token_hash"))
    .order_by(RoleGrant.id)
)


def authenticate_token(secret: str) -> tuple[ApiToken, User] | None:
    """The valid token with this secret and its user, in one query (with the user's grants and standing); None
    otherwise. No password hash, no counter."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    now = clock.now()
    rows = db.session.execute(_BY_HASH, {"token_hash": hash_secret(secret), "today": clock.today()}).unique().all()
    if not rows:
        return None
    token, user, lapsed = rows[0]
    remember_standing(user.id, lapsed)  # R-ACC-5, asked by the rights check of every request
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.session_generation != user.session_generation:
        return None
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_PRECISION:
        token.last_used_at = now  # written with the request's commit, at most once a minute
    return token, user
