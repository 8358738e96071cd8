"""Registration (R-ACC-1): mobile as login name, real name, resident ID number, password policy."""

import re

from flask_babel import gettext
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from app.accounts.binding import claimable, owner_by_id_number, start_binding
from app.accounts.codes import CodeRefused, consume_code, send_sms_code
from app.accounts.id_documents import ID_TYPES, document_error
from app.accounts.identity import identity_verifier
from app.accounts.mobiles import MOBILE_ERROR, parse_mobile
from app.accounts.models import MemberBinding, User
from app.errors import Invalid
from app.extensions import db
from app.i18n import N_

PASSWORD_RULE = N_("密码至少 8 位，须同时包含字母和数字")
NAME_PATTERN = re.compile(r"[\u4e00-\u9fa5·A-Za-z ]{2,30}")


def password_error(password: str) -> str | None:
    if len(password) < 8 or not re.search(r"[A-Za-z]", password) or not re.search(r"[0-9]", password):
        return gettext(PASSWORD_RULE)
    return None


def mobile_error(mobile: str) -> str | None:
    return None if parse_mobile(mobile) == mobile else MOBILE_ERROR


def normalize_id_number(value: str) -> str:
    return value.strip().upper()


def check_person(
    mobile: str, name: str, id_number: str, may_bind: bool = False, id_type: str = "id_card"
) -> dict[str, str]:
    """Field errors for a new account's identity fields (also used when a firm admin adds staff).

    `may_bind`: an ID on record of an imported member nobody took over yet is not refused; the registration
    binds to it after a face check (app/accounts/binding.py), if the name is the one on record."""
    errors: dict[str, str] = {}
    if err := mobile_error(mobile):
        errors["mobile"] = err
    elif db.session.scalar(select(exists().where(User.mobile == mobile))):
        errors["mobile"] = gettext("该手机号已注册，请直接登录或找回密码")
    if not NAME_PATTERN.fullmatch(name):
        errors["name"] = gettext("请输入与身份证一致的姓名（2–30 个字）")
    if id_type not in ID_TYPES:
        errors["id_type"] = gettext("请选择证件类型")
    elif err := document_error(id_type, id_number):
        errors["id_number"] = err
    elif (owner := owner_by_id_number(id_number)) is not None:
        if not (may_bind and claimable(owner)):
            errors["id_number"] = gettext("该身份证号已注册账号，请使用原手机号登录")
        elif owner.name != name:
            errors["name"] = gettext("姓名与原平台会员档案不一致，请核对")
    if not errors and (reason := identity_verifier().check_name_id(name, id_number)):
        errors["name"] = reason
    return errors


def register_user(
    mobile: str, code: str, name: str, id_number: str, password: str, confirm: str, id_type: str = "id_card"
) -> User | MemberBinding:
    """A new, not yet face-verified account; no account is stored when any field is refused. With the ID of an
    imported member nobody took over: a pending binding of that account to this new mobile (issue 14 item 2).

    The SMS code proves the number receives messages (manual ch.1 §二.(三).2); it is checked last, so a
    refusal of another field does not spend it.
    """
    mobile, name, id_number = mobile.strip(" \t"), name.strip(), normalize_id_number(id_number)
    errors = check_person(mobile, name, id_number, may_bind=True, id_type=id_type)
    if err := password_error(password):
        errors["password"] = err
    elif password != confirm:
        errors["confirm"] = gettext("两次输入的密码不一致")
    if not errors:
        try:
            consume_code(mobile, "register", code)
        except CodeRefused as err:
            errors["code"] = err.message
    if errors:
        raise Invalid(gettext("注册信息有误，请按提示修改"), errors)
    owner = owner_by_id_number(id_number)
    if owner is not None:  # check_person let it through: an imported member's account to bind
        return start_binding(owner, mobile, password)
    user = User(mobile=mobile, name=name, id_number=id_number, id_type=id_type)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as err:  # the same person registering twice at once: the first one counts
        db.session.rollback()
        raise Invalid(gettext("注册信息有误，请按提示修改"), check_person(mobile, name, id_number)) from err
    return user


def send_registration_code(mobile: str) -> None:
    send_sms_code(mobile, "register")
