"""非执业会员转会 (issue 14 item 5; processes/association_transfer.bpmn): a non-practicing member's membership moves to
another province's local association, agreed by the outgoing and accepted by the incoming association."""

from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from app.accounts.models import User
from app.engine.scripting import operation
from app.errors import Invalid, NotEligible
from app.extensions import db
from app.members.models import Member
from app.organizations.models import Organization

REFUSED = "请按提示修改后再提交"


def _non_practicing(user_id: int) -> Member:
    member = db.session.scalar(select(Member).where(Member.user_id == user_id, Member.status == "active"))
    if member is None or member.kind != "non_practicing":
        raise NotEligible(gettext("只有非执业会员可以申请转会；执业会员请申请转所"))
    return member


@operation("members/association_transfer_context")
def association_transfer_context(user_id: int, new_local_association_id: int) -> dict[str, Any]:
    """The outgoing association (the member's) and the incoming one, which must be another local association."""
    user = db.session.get(User, user_id)
    assert user is not None
    member = _non_practicing(user.id)
    target = db.session.get(Organization, new_local_association_id)
    if target is None or target.kind != "local_association":
        raise Invalid(gettext(REFUSED), {"new_local_association_id": gettext("请选择转入地方协会")})
    if target.id == member.local_association_id:
        raise Invalid(gettext(REFUSED), {"new_local_association_id": gettext("转入协会不能是当前所属协会")})
    return {
        "member_id": member.id,
        "old_local_association_id": member.local_association_id,
        "new_local_association_id": target.id,
        "new_local_association_name": target.name,
    }


@operation("members/move_association")
def move_association(member_id: int, new_local_association_id: int) -> dict[str, Any]:
    """Accepted by the incoming association: the membership belongs to it from now (still non-practicing)."""
    member = db.session.get(Member, member_id)
    target = db.session.get(Organization, new_local_association_id)
    assert member is not None and target is not None
    if member.status != "active" or member.kind != "non_practicing":
        raise NotEligible(gettext("该会员已不是非执业会员，不能转会"))
    member.local_association_id = target.id
    db.session.flush()
    return {"local_association_name": target.name}
