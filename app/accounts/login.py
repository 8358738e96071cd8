"""Password and SMS-code login with the lockout (R-ACC-3), password reset by SMS code."""

from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import or_, select, update

from app import clock
from app.accounts.binding import claim_on_login
from app.accounts.codes import CodeRefused, consume_code
from app.accounts.mobiles import parse_mobile
from app.accounts.models import User
from app.accounts.registration import password_error
from app.accounts.sessions import revoke_credentials
from app.errors import DomainError, Invalid
from app.extensions import db
from app.transaction import commit_now

MAX_FAILED_LOGINS = 5  # R-ACC-3
LOCK_DURATION = timedelta(hours=1)  # R-ACC-3


class LoginRefused(DomainError):
    status = 401


def _user_by_mobile(mobile: str) -> User | None:
    parsed = parse_mobile(mobile)
    return None if parsed is None else db.session.scalar(select(User).where(User.mobile == parsed))


def _user_by_login_name(login: str) -> User | None:
    """The mobile, or an imported member's old-platform login name (issue 14 item 2)."""
    user = _user_by_mobile(login)
    if user is None and login.strip():
        user = db.session.scalar(select(User).where(User.legacy_login == login.strip()))
    return user


class AttemptsInFlight(DomainError):
    """Five attempts on the account are being checked right now (parallel calls): not a failure, try again."""

    status = 503
    retry_after = 1


def _no_attempt_left(user: User) -> DomainError:
    """Why no attempt could be reserved: the account is locked, or five parallel checks hold every slot (a
    script calling with the right password in parallel must not be told its password is wrong)."""
    db.session.refresh(user, ["locked_until"])
    if user.locked_until is not None and user.locked_until > clock.now():
        until = clock.format_local(user.locked_until)
        return LoginRefused(gettext("登录失败次数过多，账号已锁定，请于 %(until)s（北京时间）后再登录", until=until))
    return AttemptsInFlight(gettext("该账号同时进行的登录验证过多，请稍后重试"))


def _reserve_attempt(user: User) -> int | None:
    """R-ACC-3: count this attempt in SQL before any password or code is checked; None when the account is
    locked or its five attempts are already taken (by parallel requests). Committed at once, so that 40
    parallel guesses get at most five checks and a refusal's rollback cannot undo the count."""
    now = clock.now()
    count = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.locked_until.is_(None), User.locked_until <= now),
            User.failed_logins < MAX_FAILED_LOGINS,
        )
        .values(failed_logins=User.failed_logins + 1, locked_until=None)
        .returning(User.failed_logins),
        execution_options={"synchronize_session": False},
    ).scalar_one_or_none()
    commit_now()
    return count


def _settle(user: User, count: int, succeeded: bool, what: str) -> None:
    """The checked attempt's outcome: success clears the count; the fifth failure locks for an hour."""
    if succeeded:
        values: dict[str, object] = {"failed_logins": 0, "locked_until": None}
    elif count >= MAX_FAILED_LOGINS:
        values = {"failed_logins": 0, "locked_until": clock.now() + LOCK_DURATION}
    else:
        raise LoginRefused(
            gettext("%(what)s，再错 %(n)d 次账号将被锁定 1 小时", what=what, n=MAX_FAILED_LOGINS - count)
        )
    db.session.execute(update(User).where(User.id == user.id).values(**values))
    commit_now()
    db.session.refresh(user)
    if not succeeded:
        until = clock.format_local(values["locked_until"])  # type: ignore[arg-type]
        raise LoginRefused(
            gettext(
                "%(what)s，已连续错误 %(n)d 次，账号锁定至 %(until)s（北京时间）",
                what=what,
                n=MAX_FAILED_LOGINS,
                until=until,
            )
        )


def authenticate(mobile: str, password: str) -> User:
    """R-ACC-3: the account behind `mobile` if `password` is right and the account is not locked.

    Every way a password is checked goes through here: the login page and API Basic auth."""
    user = _user_by_login_name(mobile)
    if user is None:
        raise LoginRefused(gettext("手机号或密码错误"))
    if not user.has_password:  # imported: no password was ever set, so none is checked (nor counted)
        raise LoginRefused(gettext("该账号由原平台导入，尚未设置密码：请用原手机号通过短信验证码登录，登录后设置密码"))
    count = _reserve_attempt(user)
    if count is None:
        raise _no_attempt_left(user)
    _settle(user, count, user.check_password(password), "手机号或密码错误")
    return user


def _consume_code(user: User, purpose: str, code: str) -> None:
    """The code check counts towards the account's lock as a password would (R-ACC-3)."""
    count = _reserve_attempt(user)
    if count is None:
        raise _no_attempt_left(user)
    try:
        consume_code(user.mobile, purpose, code)
    except CodeRefused as err:
        if not err.wrong:  # no guess was checked (no code, expired, used): the attempt does not count
            _undo_attempt(user)
            raise LoginRefused(err.message) from None
        _settle(user, count, False, err.message)
    _settle(user, count, True, "")


def _undo_attempt(user: User) -> None:
    db.session.execute(
        update(User).where(User.id == user.id, User.failed_logins > 0).values(failed_logins=User.failed_logins - 1)
    )
    commit_now()


def login_with_code(mobile: str, code: str) -> User:
    """R-ACC-3 second way in: the code last sent to the number, unexpired and unused."""
    user = _user_by_mobile(mobile)
    if user is None:
        raise LoginRefused(gettext("该手机号尚未注册"))
    _consume_code(user, "login", code)
    claim_on_login(user)
    return user


def reset_password(mobile: str, code: str, password: str, confirm: str) -> User:
    errors = {}
    if err := password_error(password):
        errors["password"] = err
    elif password != confirm:
        errors["confirm"] = "两次输入的密码不一致"
    if errors:
        raise Invalid(gettext("请按提示修改后再提交"), errors)
    user = _user_by_mobile(mobile)
    if user is None:
        raise Invalid(gettext("该手机号尚未注册"), {"mobile": "该手机号尚未注册"})
    _consume_code(user, "reset", code)
    user.set_password(password)
    db.session.flush()
    revoke_credentials(user.id)
    return user


def set_first_password(user: User, password: str, confirm: str) -> None:
    """An imported account that logged in by SMS code chooses its first password (no old one is imported)."""
    if user.has_password:
        raise Invalid(gettext("已设置过密码，如需修改请使用“忘记密码”"))
    errors = {}
    if err := password_error(password):
        errors["password"] = err
    elif password != confirm:
        errors["confirm"] = "两次输入的密码不一致"
    if errors:
        raise Invalid("请按提示修改后再提交", errors)
    user.set_password(password)
    db.session.flush()
