"""A firm admin's staff (manual ch.1 §六.二): accounts created for the firm and given its review rights."""

import hmac
import secrets

from flask_babel import gettext
from sqlalchemy import select

from app.accounts.mobiles import parse_mobile
from app.accounts.models import RoleGrant, User
from app.accounts.registration import check_person, normalize_id_number
from app.accounts.rights import is_firm_admin_of
from app.accounts.sessions import revoke_credentials
from app.admin.audit import record_admin_action
from app.errors import Invalid, NotAllowed, NotFound
from app.extensions import db
from app.notify import send_sms
from app.organizations.models import Organization
from app.organizations.societies import sms_signature, society_of_org


def _require_firm_admin(admin: User, firm_id: int) -> Organization:
    if not is_firm_admin_of(admin, firm_id):
        raise NotAllowed(gettext("只有本机构的机构管理员可以管理工作人员"))
    firm = db.session.get(Organization, firm_id)
    assert firm is not None
    return firm


def list_staff(admin: User, firm_id: int) -> list[User]:
    _require_firm_admin(admin, firm_id)
    stmt = (
        select(User)
        .join(RoleGrant)
        .where(RoleGrant.role == "firm", RoleGrant.organization_id == firm_id, User.id != admin.id)
        .order_by(User.name, User.id)
    )
    return list(db.session.scalars(stmt))


def add_staff(admin: User, firm_id: int, mobile: str, name: str, id_number: str) -> User:
    """An existing account gets the firm's review rights when name and ID number match it (the mobile alone
    would hand a stranger's account the rights on a typo); otherwise a new account is created and its first
    password goes to the mobile by SMS (the person verifies their face at first login)."""
    firm = _require_firm_admin(admin, firm_id)
    mobile, name, id_number = mobile.strip(" \t"), name.strip(), normalize_id_number(id_number)
    user = db.session.scalar(select(User).where(User.mobile == mobile)) if parse_mobile(mobile) else None
    if user is None:
        errors = check_person(mobile, name, id_number)
        if errors:
            raise Invalid(gettext("工作人员信息有误，请按提示修改"), errors)
        password = f"Mf{secrets.randbelow(10**8):08d}"
        user = User(mobile=mobile, name=name, id_number=id_number)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        text = f"{firm.name}已为您开通工作人员账号，初始密码 {password}，请登录后修改。"
        send_sms(mobile, sms_signature(society_of_org(firm)) + text)
    elif not (name == user.name and user.id_number and hmac.compare_digest(id_number, user.id_number)):
        message = gettext("姓名和身份证号与该手机号的账号不符，请核对")
        raise Invalid(message, {"name": message, "id_number": message})
    elif any(g.role == "firm" and g.organization_id == firm_id for g in user.grants):
        raise Invalid(gettext("该人员已是本机构工作人员"), {"mobile": gettext("该人员已是本机构工作人员")})
    db.session.add(RoleGrant(user_id=user.id, role="firm", organization_id=firm_id))
    db.session.flush()
    db.session.expire(user, ["grants"])
    record_admin_action(admin, "staff.add", f"user:{user.id}", {"organization": firm.name, "user": user.name})
    return user


def remove_staff(admin: User, firm_id: int, user_id: int) -> None:
    firm = _require_firm_admin(admin, firm_id)
    if user_id == admin.id:
        raise NotAllowed(gettext("机构管理员不能取消自己的权限"))
    grant = db.session.scalar(
        select(RoleGrant).where(
            RoleGrant.user_id == user_id, RoleGrant.role == "firm", RoleGrant.organization_id == firm_id
        )
    )
    if grant is None:
        raise NotFound(gettext("该人员不是本机构工作人员"))
    record_admin_action(admin, "staff.remove", f"user:{user_id}", {"organization": firm.name, "user": grant.user.name})
    db.session.delete(grant)
    db.session.flush()
    revoke_credentials(user_id)
