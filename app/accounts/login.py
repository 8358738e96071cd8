"""Password and SMS-code login with the lockout (R-ACC-3), password reset by SMS code."""

from datetime import timedelta

from sqlalchemy import select, update

from app import clock
from app.accounts.codes import CodeRefused, consume_code
from app.accounts.models import User
from app.accounts.registration import password_error
from app.errors import DomainError, Invalid
from app.extensions import db
from app.transaction import commit_despite_refusal

MAX_FAILED_LOGINS = 5  # R-ACC-3
LOCK_DURATION = timedelta(hours=1)  # R-ACC-3


class LoginRefused(DomainError):
    status = 401


def _user_by_mobile(mobile: str) -> User | None:
    return db.session.scalar(select(User).where(User.mobile == mobile.strip()))


def _check_not_locked(user: User) -> None:
    if user.locked_until is not None and user.locked_until > clock.now():
        until = clock.format_local(user.locked_until)
        raise LoginRefused(f"登录失败次数过多，账号已锁定，请于 {until}（北京时间）后再登录")


def _record_failure(user: User, what: str) -> LoginRefused:
    """Count a wrong password or code; the refusal rolls the request back, so the count is committed anyway."""
    user.failed_logins = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    commit_despite_refusal()
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.failed_logins, user.locked_until = 0, clock.now() + LOCK_DURATION
        db.session.flush()
        return LoginRefused(
            f"{what}，已连续错误 {MAX_FAILED_LOGINS} 次，账号锁定至 {clock.format_local(user.locked_until)}（北京时间）"
        )
    db.session.flush()
    left = MAX_FAILED_LOGINS - user.failed_logins
    return LoginRefused(f"{what}，再错 {left} 次账号将被锁定 1 小时")


def _succeeded(user: User) -> User:
    if user.failed_logins or user.locked_until:
        user.failed_logins, user.locked_until = 0, None
    return user


def authenticate(mobile: str, password: str) -> User:
    """R-ACC-3: the account behind `mobile` if `password` is right and the account is not locked."""
    user = _user_by_mobile(mobile)
    if user is None:
        raise LoginRefused("手机号或密码错误")
    _check_not_locked(user)
    if not user.check_password(password):
        raise _record_failure(user, "手机号或密码错误")
    return _succeeded(user)


def _consume_code(user: User, purpose: str, code: str) -> None:
    try:
        consume_code(user.mobile, purpose, code)
    except CodeRefused as err:
        raise (_record_failure(user, err.message) if err.wrong else LoginRefused(err.message)) from None


def login_with_code(mobile: str, code: str) -> User:
    """R-ACC-3 second way in: the code last sent to the number, unexpired and unused."""
    user = _user_by_mobile(mobile)
    if user is None:
        raise LoginRefused("该手机号尚未注册")
    _check_not_locked(user)
    _consume_code(user, "login", code)
    return _succeeded(user)


def reset_password(mobile: str, code: str, password: str, confirm: str) -> User:
    errors = {}
    if err := password_error(password):
        errors["password"] = err
    elif password != confirm:
        errors["confirm"] = "两次输入的密码不一致"
    if errors:
        raise Invalid("请按提示修改后再提交", errors)
    user = _user_by_mobile(mobile)
    if user is None:
        raise Invalid("该手机号尚未注册", {"mobile": "该手机号尚未注册"})
    _consume_code(user, "reset", code)
    user.set_password(password)
    db.session.flush()
    return user
