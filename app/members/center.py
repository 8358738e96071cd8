"""Personal center (个人中心): the member's record, which changes they may apply for, and core filings."""

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app import clock
from app.accounts.models import User
from app.engine.specs import catalog
from app.errors import Invalid, NotFound
from app.extensions import db
from app.files.services import store_upload
from app.i18n import N_
from app.members.lifecycle import practice_months
from app.members.models import BASIC_INFO_FIELDS, CORE_FILING_KINDS, CoreFiling, Member, Qualification
from app.workflow.services import check_eligibility

# the member-record actions shown in the personal center, in this order (R-STA-1..3, R-RES-1)
CENTER_PROCESSES = ("status_full", "status_non_practicing", "status_practicing", "resign")
CORE_FILING_MAX_BYTES = 1024 * 1024  # R-INFO-1
EDUCATION = {
    "doctor": N_("博士研究生"),
    "master": N_("硕士研究生"),
    "bachelor": N_("大学本科"),
    "college": N_("大学专科"),
    "other": N_("其他"),
}

# the free-text basic information: its label and length (the member record's column)
BASIC_INFO_LABELS = {
    "postal_address": N_("通讯地址"),
    "position": N_("职务"),
    "major": N_("所学专业"),
    "employer": N_("工作单位"),
}
# the part of it about the member's work, shown to reviewers and staff and exported with the member list
WORK_FIELDS = ("position", "major", "employer")
BASIC_INFO_LIMITS = {"postal_address": 200, "position": 50, "major": 50, "employer": 100}


def work_record(member: Member) -> list[tuple[str, str]]:
    """The member's 职务 / 所学专业 / 工作单位 as (label, value), those recorded only."""
    return [(BASIC_INFO_LABELS[f], value) for f in WORK_FIELDS if (value := getattr(member, f))]


@dataclass
class CenterAction:
    process_id: str
    name: str
    refusal: str | None


def active_member_of(user: User) -> Member | None:
    return db.session.scalar(select(Member).where(Member.user_id == user.id, Member.status == "active"))


def own_member(user: User) -> Member:
    member = active_member_of(user)
    if member is None:
        raise NotFound(gettext("您还不是会员，个人中心仅对会员开放"))
    return member


def center_actions(user: User) -> list[CenterAction]:
    """Each status change or resignation, enabled or disabled with the reason its DMN table gives."""
    cat = catalog()
    return [
        CenterAction(pid, cat.process(pid).name, check_eligibility(pid, user)[1])
        for pid in CENTER_PROCESSES
        if pid in cat.current
    ]


def member_months(member: Member) -> int:
    return practice_months(member.practice_started_on, clock.today())


def qualifications(user: User) -> list[Qualification]:
    stmt = select(Qualification).where(Qualification.user_id == user.id)
    return list(db.session.scalars(stmt.order_by(Qualification.passed_on, Qualification.id)))


def filing_history(member: Member) -> list[CoreFiling]:
    """Every core filing, newest first: the first of each kind is the one in force (R-INFO-1)."""
    stmt = select(CoreFiling).where(CoreFiling.member_id == member.id)
    return list(db.session.scalars(stmt.order_by(CoreFiling.filed_at.desc(), CoreFiling.id.desc())))


def file_core_image(member: Member, user: User, kind: str, file: FileStorage) -> CoreFiling:
    """R-INFO-1: a new photo, signature or seal applies at once, no approval; the old ones stay in history."""
    if kind not in CORE_FILING_KINDS:
        raise NotFound(gettext("未知的备案类型"))
    if not file or not file.filename:
        raise Invalid(gettext("请选择%(what)s图片", what=gettext(CORE_FILING_KINDS[kind])))
    att = store_upload(file, user.id, allow="image", max_bytes=CORE_FILING_MAX_BYTES)
    filing = CoreFiling(member_id=member.id, kind=kind, attachment_id=att.id, filed_by_id=user.id)
    db.session.add(filing)
    db.session.flush()
    return filing


def update_basic_info(member: Member, **fields: str) -> Member:
    """R-INFO-2: applies at once; number, name, ID number, firm, kind and core filings are not editable here.
    `fields`: any of BASIC_INFO_FIELDS (a field not given is left as it is)."""
    errors = {}
    email, education = fields.get("email", ""), fields.get("education", "")
    if email and (len(email) > 100 or "@" not in email):
        errors["email"] = gettext("请输入有效的电子邮箱")
    if education and education not in EDUCATION:
        errors["education"] = gettext("请选择学历")
    for name, limit in BASIC_INFO_LIMITS.items():
        if len(fields.get(name, "")) > limit:
            errors[name] = gettext("%(label)s不超过 %(limit)d 字", label=gettext(BASIC_INFO_LABELS[name]), limit=limit)
    if errors:
        raise Invalid(gettext("请按提示修改后再保存"), errors)
    for name in BASIC_INFO_FIELDS:
        if name in fields:
            setattr(member, name, fields[name] or None)
    db.session.flush()
    return member
