"""Account look-ups and password login (the full account rules come with the accounts issue)."""

from sqlalchemy import select

from app.accounts.models import User
from app.errors import NotAllowed
from app.extensions import db, login_manager

ROLE_LABELS = {
    "applicant": "申请人",
    "firm": "资产评估机构",
    "local_association": "地方协会",
    "national_association": "中国资产评估协会",
    "finance_department": "地方财政部门",
    "system": "系统",
}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def authenticate(mobile: str, password: str) -> User:
    user = db.session.scalar(select(User).where(User.mobile == mobile.strip()))
    if user is None or not user.check_password(password):
        raise NotAllowed("手机号或密码错误")
    return user
