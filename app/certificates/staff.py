"""Association staff and their members' certificates (R-CER-7): scope, member list, photo, required fields."""

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true

from app import clock
from app.accounts.models import User
from app.admin.audit import record_admin_action
from app.certificates.models import Certificate
from app.certificates.services import file_core_filing
from app.errors import Invalid, NotAllowed, NotFound
from app.extensions import db
from app.files.models import Attachment
from app.files.workbooks import ListExport
from app.members.center import BASIC_INFO_LABELS, WORK_FIELDS
from app.members.exam_photo import newest_exam_photo
from app.members.models import MEMBER_KINDS, Member
from app.organizations.models import Organization
from app.workflow.inbox import mask_id_number

STAFF_ROLES = ("local_association", "national_association")


@dataclass
class MemberPage:
    items: list[tuple[Member, User]]
    page: int
    has_next: bool


def is_certificate_staff(user: User) -> bool:
    return any(g.role in STAFF_ROLES for g in user.grants)


def member_scope(user: User) -> ColumnElement[bool]:
    """A local association's members of its province; the national association all, overseas ones included."""
    clauses: list[ColumnElement[bool]] = []
    for grant in user.grants:
        if grant.role == "national_association":
            return true()
        if grant.role == "local_association":
            clauses.append(and_(Member.local_association_id == grant.organization_id, Member.overseas.is_(False)))
    return or_(*clauses) if clauses else false()


def staff_member(user: User, member_id: int) -> Member:
    """Another association's member is 'not found', not 'forbidden'."""
    if not is_certificate_staff(user):
        raise NotFound(gettext("会员不存在或不属于您的协会"))
    member = db.session.scalar(select(Member).where(Member.id == member_id, member_scope(user)))
    if member is None:
        raise NotFound(gettext("会员不存在或不属于您的协会"))
    return member


def list_members(user: User, query: str = "", page: int = 1, per_page: int = 20) -> MemberPage:
    """Active members in the staff's scope, by member number; `query` matches a name or member number."""
    stmt = _members(user, query)
    rows = [(m, u) for m, u in db.session.execute(stmt.limit(per_page + 1).offset((page - 1) * per_page))]
    return MemberPage(rows[:per_page], page, len(rows) > per_page)


def _members(user: User, query: str) -> Select[Member, User]:
    if not is_certificate_staff(user):
        raise NotAllowed(gettext("只有协会工作人员可以管理会员证书"))
    stmt = (
        select(Member, User)
        .join(User, User.id == Member.user_id)
        .where(Member.status == "active", member_scope(user))
        .order_by(Member.member_number, Member.id)
    )
    query = query.strip()
    if query:
        pattern = f"%{query}%"
        stmt = stmt.where(or_(User.name.like(pattern), Member.member_number.like(pattern)))
    return stmt


def members_export(user: User, query: str) -> ListExport:
    """The member list as the page shows it (the same search), ID numbers masked as in every list (issue 15)."""
    stmt = _members(user, query)
    firm_names = {oid: name for oid, name in db.session.execute(select(Organization.id, Organization.name))}

    def rows(limit: int) -> Iterable[list[object]]:
        for m, u in db.session.execute(stmt.limit(limit).execution_options(yield_per=1000)):
            firm = firm_names.get(m.firm_id or 0, gettext("协会代管") if m.in_custody else "")
            yield [
                m.member_number,
                u.name,
                mask_id_number(u.id_number),
                MEMBER_KINDS.get(m.kind, m.kind),
                firm,
                firm_names.get(m.local_association_id, ""),
                m.joined_on.isoformat(),
                *(getattr(m, field) for field in WORK_FIELDS),
            ]

    def count(cap: int) -> int:
        limited = stmt.with_only_columns(Member.id).order_by(None).limit(cap).subquery()
        return db.session.scalar(select(func.count()).select_from(limited)) or 0

    headers = [
        gettext("会员编号"),
        gettext("姓名"),
        gettext("身份证号"),
        gettext("会员类别"),
        gettext("所在机构"),
        gettext("地方协会"),
        gettext("入会日期"),
        *(gettext(BASIC_INFO_LABELS[field]) for field in WORK_FIELDS),
    ]
    return ListExport(gettext("会员名单"), headers, count, rows, "export.members", {"q": query.strip()})


def default_photo(member: Member) -> Attachment | None:
    """The exam photo (全科合格电子照片) offered before staff upload one; None means the sample image is shown."""
    attachment_id = db.session.scalar(newest_exam_photo(member.user_id))
    return db.session.get(Attachment, attachment_id) if attachment_id else None


def set_member_photo(member: Member, actor: User, attachment: Attachment | None) -> None:
    """Upload or replace the certificate photo; without an upload, file the exam photo (R-CER-7)."""
    photo = attachment or default_photo(member)
    if photo is None:
        raise Invalid(gettext("请选择要上传的照片（该会员没有考试照片可用）"))
    file_core_filing(member, "photo", photo, actor)
    source = "上传" if attachment else "考试照片"
    record_admin_action(actor, "member.photo", f"member:{member.id}", {"photo": f"{source}（附件 {photo.id}）"})


def update_required_fields(member: Member, actor: User, *, name: str, member_number: str, firm_id: int | None) -> None:
    """Staff complete what the certificate needs (R-CER-7). A firm is set only where none is recorded: moving a member
    between firms is a transfer (R-TRF), not an edit."""
    name, member_number = name.strip(), member_number.strip()
    errors = {}
    if not name:
        errors["name"] = gettext("请填写姓名")
    if not member_number:
        errors["member_number"] = gettext("请填写会员编号")
    elif db.session.scalar(select(Member.id).where(Member.member_number == member_number, Member.id != member.id)):
        errors["member_number"] = gettext("该会员编号已被其他会员使用")
    firm = db.session.get(Organization, firm_id) if firm_id is not None and member.firm_id is None else None
    if firm_id is not None and member.firm_id is None:
        if firm is None or firm.kind != "firm" or firm.local_association_id != member.local_association_id:
            errors["firm_id"] = gettext("请选择本协会所辖的资产评估机构")
    if errors:
        raise Invalid(gettext("请按提示修改会员信息"), errors)
    user = db.session.get(User, member.user_id)
    assert user is not None
    changes: dict[str, list[str | None]] = {}
    if user.name != name:
        changes["name"] = [user.name, name]
    if member.member_number != member_number:
        changes["member_number"] = [member.member_number, member_number]
    if firm is not None:
        changes["firm"] = [None, firm.name]
    user.name, member.member_number = name, member_number
    if firm is not None:
        member.firm_id = firm.id
    db.session.flush()
    if changes:
        record_admin_action(actor, "member.edit", f"member:{member.id}", changes)


def firms_for(member: Member) -> list[Organization]:
    stmt = select(Organization).where(
        Organization.kind == "firm", Organization.local_association_id == member.local_association_id
    )
    return list(db.session.scalars(stmt.order_by(Organization.name, Organization.id)))


def revoke_certificate(member: Member, actor: User) -> list[Certificate]:
    """Revoke the member's issued certificates (one per kind, in issuing order): their QR codes then say so; the next
    print issues a new serial."""
    current = select(Certificate).where(Certificate.member_id == member.id, Certificate.revoked_at.is_(None))
    certs = list(db.session.scalars(current.order_by(Certificate.id)))
    if not certs:
        raise Invalid(gettext("该会员没有未作废的电子证书"))
    for cert in certs:
        cert.revoked_at, cert.revoked_by_id = clock.now(), actor.id
    db.session.flush()
    serials = [cert.serial for cert in certs]
    record_admin_action(actor, "certificate.revoke", f"member:{member.id}", {"serials": serials})
    return certs
