"""One-time SMS codes for registration, login and password reset; R-ACC-4 limits them per number and day."""

import hashlib
import hmac
import math
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import ColumnElement, exists, func, select, update

from app import clock
from app.accounts.mobiles import MOBILE_ERROR, parse_mobile
from app.accounts.models import SmsCode, User
from app.errors import DomainError, Invalid
from app.extensions import db
from app.notify import send_sms
from app.organizations.societies import sms_signature
from app.transaction import commit_now

CODES_PER_DAY = 5  # R-ACC-4
CODE_LIFETIME = timedelta(minutes=5)
TRIES_PER_CODE = 5
RESEND_INTERVAL = timedelta(seconds=60)  # as real portals have: one code a minute per number
CODE_PURPOSES = {"register": "注册", "login": "登录", "reset": "重置密码"}


class TooManyCodes(DomainError):
    status = 429


class CodeRefused(Exception):
    """The code does not let the person in; `wrong` when it was a guess (counts towards the lockout)."""

    def __init__(self, message: str, wrong: bool = False):
        super().__init__(message)
        self.message, self.wrong = message, wrong


def _code_hash(mobile: str, purpose: str, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{mobile}:{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def codes_sent_today(mobile: str) -> int:
    since = clock.start_of_day(clock.today())
    stmt = select(func.count()).select_from(SmsCode).where(SmsCode.mobile == mobile, SmsCode.created_at >= since)
    return db.session.scalar(stmt) or 0


def seconds_until_resend(mobile: str) -> int:
    """Seconds left before another code may go to `mobile` (0: now)."""
    last = db.session.scalar(select(func.max(SmsCode.created_at)).where(SmsCode.mobile == mobile))
    if last is None:
        return 0
    left = (last + RESEND_INTERVAL - clock.now()).total_seconds()
    return max(math.ceil(left), 0)


def send_sms_code(mobile: str, purpose: str) -> None:
    """R-ACC-4: at most five codes per number per (Beijing) day, whatever they are for; a code lives five
    minutes. Registration codes go only to new numbers, the others only to registered ones."""
    parsed = parse_mobile(mobile)
    if parsed is None:
        raise Invalid(MOBILE_ERROR, {"mobile": MOBILE_ERROR})
    mobile = parsed
    registered = db.session.scalar(select(exists().where(User.mobile == mobile)))
    if purpose == "register" and registered:
        raise Invalid(gettext("该手机号已注册"), {"mobile": gettext("该手机号已注册，请直接登录或找回密码")})
    if purpose != "register" and not registered:
        raise Invalid(gettext("该手机号尚未注册"), {"mobile": gettext("该手机号尚未注册，请先注册")})
    wait = seconds_until_resend(mobile)
    if wait:
        raise TooManyCodes(gettext("获取验证码过于频繁，请 %(n)d 秒后再试", n=wait))
    if codes_sent_today(mobile) >= CODES_PER_DAY:
        raise TooManyCodes(gettext("该手机号今日获取验证码已达 %(n)d 次，请明日再试", n=CODES_PER_DAY))
    code = f"{secrets.randbelow(10**6):06d}"
    now = clock.now()
    db.session.add(
        SmsCode(
            mobile=mobile,
            purpose=purpose,
            code_hash=_code_hash(mobile, purpose, code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
    )
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    text = f"{sms_signature()}您的{CODE_PURPOSES[purpose]}验证码为 {code}，{minutes} 分钟内有效，请勿告知他人。"
    send_sms(mobile, text)


def consume_code(mobile: str, purpose: str, code: str) -> None:
    """Accept the code last sent to `mobile` for `purpose` once; a code dies after five wrong tries.

    Each try is reserved in SQL (a conditional UPDATE, committed) before the code is compared, so parallel
    guesses cannot get more than TRIES_PER_CODE comparisons nor lose a count; using the code is a second
    conditional UPDATE, so of two requests with the right code only one gets in."""
    stmt = (
        select(SmsCode.id, SmsCode.expires_at)
        .where(SmsCode.mobile == mobile, SmsCode.purpose == purpose, SmsCode.used_at.is_(None))
        .order_by(SmsCode.created_at.desc(), SmsCode.id.desc())
        .limit(1)
    )
    latest = db.session.execute(stmt).first()
    if latest is None:
        raise CodeRefused(gettext("请先获取短信验证码"))
    now = clock.now()
    if latest.expires_at <= now:
        raise CodeRefused(gettext("验证码已过期，请重新获取"))
    live = (SmsCode.id == latest.id) & SmsCode.used_at.is_(None)
    tries = db.session.execute(
        update(SmsCode)
        .where(live, SmsCode.failed_tries < TRIES_PER_CODE)
        .values(failed_tries=SmsCode.failed_tries + 1)
        .returning(SmsCode.failed_tries, SmsCode.code_hash),
        execution_options={"synchronize_session": False},
    ).first()
    commit_now()
    if tries is None:
        raise CodeRefused(gettext("验证码已失效，请重新获取"), wrong=True)
    if not hmac.compare_digest(tries.code_hash, _code_hash(mobile, purpose, code.strip())):
        if tries.failed_tries >= TRIES_PER_CODE:
            _update(live, used_at=now)
        raise CodeRefused(gettext("验证码错误"), wrong=True)
    # the right code: give the reserved try back and use the code, unless a parallel request just did
    if not _update(live, used_at=now, failed_tries=SmsCode.failed_tries - 1):
        raise CodeRefused(gettext("验证码已使用，请重新获取"))


def _update(where: ColumnElement[bool], **values: object) -> bool:
    result = db.session.execute(
        update(SmsCode).where(where).values(**values), execution_options={"synchronize_session": False}
    )
    commit_now()
    return bool(getattr(result, "rowcount", 0))
