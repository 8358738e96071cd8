"""身份证号码变更 (issue 14 item 3; procedures §二.2, R-ACC-2): a member whose ID number on record differs from their
current one cannot pass the face check, so their local association's staff submit the change with the police proof
and the national association approves it (processes/id_change.bpmn). On approval the ID on record changes, audited;
the member then binds their account (registration with a new mobile) or passes the face check with the current ID."""

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.id_documents import id_number_error
from app.accounts.models import User
from app.accounts.registration import normalize_id_number
from app.accounts.rights import active_grants
from app.admin.audit import record_admin_action
from app.engine.scripting import operation
from app.errors import Invalid
from app.extensions import db
from app.members.models import Member
from app.organizations.services import national_association
from app.workflow.facts import fact_provider
from app.workflow.inbox import mask_id_number

REFUSED = "请按提示修改后再提交"


def _association_ids(user: User) -> set[int]:
    return {g.organization_id for g in active_grants(user) if g.role == "local_association"}


@fact_provider()
def local_staff_facts(user: User, _values: Mapping[str, Any]) -> dict[str, Any]:
    """Procedures §二.2: the change is submitted by the member's local association."""
    return {"is_local_association_staff": bool(_association_ids(user))}


def _holder_of(id_number: str) -> User | None:
    return db.session.scalar(select(User).where(User.id_number == id_number))


@operation("members/id_change_context")
def id_change_context(user_id: int, member_number: str, member_name: str, new_id_number: str) -> dict[str, Any]:
    """The member belongs to the staff's own association, the name matches, and the new ID is valid, differs from
    the one on record and belongs to nobody else; refusals name the field and the reason."""
    staff = db.session.get(User, user_id)
    assert staff is not None
    member = db.session.scalar(select(Member).where(Member.member_number == member_number.strip()))
    person = db.session.get(User, member.user_id) if member else None
    if member is None or person is None or person.name != member_name.strip():
        raise Invalid(gettext(REFUSED), {"member_number": gettext("没有会员编号与姓名相符的会员")})
    if member.local_association_id not in _association_ids(staff):
        raise Invalid(
            gettext(REFUSED), {"member_number": gettext("该会员不属于本协会，请由其所在地方协会提交身份证号码变更")}
        )
    new_id = normalize_id_number(new_id_number)
    if err := id_number_error(new_id):
        raise Invalid(gettext(REFUSED), {"new_id_number": err})
    if new_id == person.id_number:
        raise Invalid(gettext(REFUSED), {"new_id_number": gettext("与档案中的身份证号码相同，无需变更")})
    holder = _holder_of(new_id)
    if holder is not None and holder.id != person.id:
        raise Invalid(gettext(REFUSED), {"new_id_number": _taken_reason()})
    return {
        "member_id": member.id,
        "user_id": person.id,  # the person the application is about (start property subject, R-ONE-1)
        "member_name": person.name,
        "member_number": member.member_number,
        "old_id_number": person.id_number or "",
        "old_id_masked": mask_id_number(person.id_number),
        "new_id_number": new_id,
        "local_association_id": member.local_association_id,
        "national_association_id": national_association().id,
    }


def _taken_reason() -> str:
    # the other account's person is not named: staff of an association see only their own members
    return gettext("该身份证号码已用于另一账号，须先由系统管理员处理该账号后再变更")


@operation("members/change_id_number")
def change_id_number(user_id: int, old_id_number: str, new_id_number: str, requested_by: int) -> dict[str, Any]:
    """Approved by the national association: the ID on record changes, unless it changed meanwhile or another
    account took the new ID (the unique ID number decides a race); audited with the old and new ID masked."""
    try:
        with db.session.begin_nested():
            changed = db.session.execute(
                update(User)
                .where(
                    User.id == user_id, User.id_number == old_id_number if old_id_number else User.id_number.is_(None)
                )
                .values(id_number=new_id_number)
            ).rowcount  # type: ignore[attr-defined]
    except IntegrityError:
        raise Invalid(gettext(REFUSED), {"decision": _taken_reason()}) from None  # the reason, not the driver error
    if not changed:
        raise Invalid(gettext(REFUSED), {"decision": gettext("档案中的身份证号码已被修改，请退回地方协会核实")})
    person, staff = db.session.get(User, user_id), db.session.get(User, requested_by)
    assert person is not None
    db.session.refresh(person, ["id_number"])
    details = {
        "old_id_number": mask_id_number(old_id_number),
        "new_id_number": mask_id_number(new_id_number),
        "requested_by": staff.name if staff else "",
    }
    record_admin_action(None, "member.id_change", f"user:{user_id}", details)
    return {"new_id_masked": mask_id_number(new_id_number)}
