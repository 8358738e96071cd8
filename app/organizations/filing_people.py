"""The people of a firm filing (R-FIL-2..6): adding one person with their roles, removing one, the submit check."""

from datetime import date
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, or_, select
from stdnum.cn import ric

from app import clock
from app.accounts.identity import passed_face_check_recently
from app.accounts.models import User
from app.engine.scripting import operation
from app.engine.specs import catalog
from app.errors import Conflict, FaceCheckRequired, Invalid, NotFound
from app.extensions import db
from app.i18n import N_
from app.members.models import Member, MemberPenalty, Qualification
from app.organizations.filing import REFUSED, valid_credit_code
from app.organizations.models import FirmPerson, Organization

APPRAISER_QUALIFICATIONS = ("appraiser", "appraiser_jewelry")
# the member-database check per role (rules/firm_person_check.dmn); shareholders need none (R-FIL-2)
CHECKED_ROLES = {"is_appraiser": "appraiser", "is_other_field_appraiser": "other_field", "is_executive": "executive"}
ROLE_LABELS = {
    "is_shareholder": N_("股东（合伙人）"),
    "is_appraiser": N_("执业资产评估师"),
    "is_other_field_appraiser": N_("其他领域评估师"),
    "is_executive": N_("高管"),
}
UPLOADS = ("resume", "business_licence_scan", "shareholder_info_form", "transfer_form", "certificate_scan")


def person_check_facts(id_number: str, firm_id: int) -> tuple[dict[str, Any], Member | None]:
    """What rules/firm_person_check.dmn reads about a person, found by ID number in the member database."""
    user = db.session.scalar(select(User).where(User.id_number == id_number))
    members = (
        list(db.session.scalars(select(Member).where(Member.user_id == user.id).order_by(Member.id.desc())))
        if user
        else []
    )
    current = next((m for m in members if m.status == "active"), members[0] if members else None)
    qualified = bool(
        user
        and db.session.scalar(
            select(func.count()).where(
                Qualification.user_id == user.id, Qualification.kind.in_(APPRAISER_QUALIFICATIONS)
            )
        )
    )
    elsewhere = bool(current and current.status == "active" and current.firm_id not in (None, firm_id))
    facts = {
        "found": current is not None,
        "member_status": current.status if current else None,
        "member_kind": current.kind if current else None,
        "practising_elsewhere": elsewhere,
        "qualified": qualified,
    }
    return facts, (current if current is not None and current.status == "active" else None)


@operation("organizations/apply_person_action")
def apply_person_action(firm_id: int, person: dict[str, Any]) -> dict[str, Any]:
    """Add, remove, or (done) check the list before it goes to the finance department; returns the counts."""
    action = person.get("action")
    if action == "add":
        _add_person(firm_id, person)
    elif action == "remove":
        _remove_person(firm_id, (person.get("remove_key") or "").strip().upper())
    elif action == "firm_info":
        _stage_firm_info(firm_id, person.get("new_firm_name"), person.get("new_address"))
    elif action == "done":
        waiting = awaiting_confirmation(firm_id)
        if waiting:
            names = "、".join(p.name for p in waiting)
            reason = f"{names}已被其他机构列为其他领域评估师，须本人扫描认证二维码并人脸识别确认后才能提交（R-FIL-4）"
            raise Invalid(reason, {"person_action": reason})
        check_structure(firm_id)
    db.session.flush()
    return people_counts(firm_id)


def _add_person(firm_id: int, p: dict[str, Any]) -> None:
    roles = {r: bool(p.get(r)) for r in ROLE_LABELS}
    if p.get("person_kind") == "legal":
        code = valid_credit_code(p.get("credit_code"), "person_credit_code")
        row = _row(firm_id, FirmPerson.credit_code == code)
        if row is not None:
            raise Invalid(REFUSED, {"person_credit_code": f"「{row.name}」已在股东列表中，不能重复添加"})
        details = {k: p.get(k) for k in ("contact", "subscribed_capital", "subscribed_on")}
        details |= {k: p.get(k) or [] for k in ("business_licence_scan", "shareholder_info_form")}
        db.session.add(
            FirmPerson(
                firm_id=firm_id,
                person_kind="legal",
                name=p["name"].strip(),
                credit_code=code,
                is_shareholder=True,
                details=details,
            )
        )
        return
    id_number = (p.get("id_number") or "").strip().upper()
    if not ric.is_valid(id_number):
        raise Invalid(REFUSED, {"id_number": "身份证号不正确（18 位，校验位须正确），请核对"})
    if not any(roles.values()):
        raise Invalid(REFUSED, {"is_shareholder": "请至少勾选一个身份：股东、执业资产评估师、其他领域评估师或高管"})
    row = _row(firm_id, FirmPerson.id_number == id_number)
    if row is not None and row.filed:  # a change to a filed firm adds and removes people, it does not edit them
        raise Invalid(REFUSED, {"id_number": "该人员已在本机构备案名单中；如需调整其身份，请先删除，确认后再重新添加"})
    twice = [ROLE_LABELS[r] for r, on in roles.items() if on and row is not None and getattr(row, r)]
    if twice:
        raise Invalid(REFUSED, {"id_number": f"该人员已是本机构的{'、'.join(twice)}，不能重复添加"})
    facts, member = person_check_facts(id_number, firm_id)
    for role, rule_role in CHECKED_ROLES.items():
        if roles[role]:
            out = catalog().decide("firm_person_check", {**facts, "role": rule_role}).outputs
            if not out.get("allowed"):
                raise Invalid(REFUSED, {"id_number": out.get("reason") or "该人员不能以此身份加入本机构"})
    if row is None:
        row = FirmPerson(
            firm_id=firm_id, person_kind="natural", name=p["name"].strip(), id_number=id_number, details={}
        )
        db.session.add(row)
    row.member_id = member.id if member is not None else row.member_id
    for role, on in roles.items():
        setattr(row, role, getattr(row, role) or on)
    if roles["is_other_field_appraiser"]:
        row.other_field_type, row.certificate_number = p.get("other_field_type"), p.get("certificate_number")
        elsewhere = _listed_elsewhere(firm_id, id_number)
        if elsewhere is not None:  # R-FIL-4: the person confirms by face verification, which moves them
            row.details = {**(row.details or {}), "confirm_from_firm_id": elsewhere.firm_id}
    row.details = {**(row.details or {}), **{k: p[k] for k in UPLOADS if p.get(k)}}


def _stage_firm_info(firm_id: int, name: str | None, address: str | None) -> None:
    """A filed firm's new name and/or address, kept apart until the finance department confirms (firm_change)."""
    firm = db.session.get(Organization, firm_id)
    assert firm is not None
    if not firm.filed:
        raise Invalid(REFUSED, {"new_firm_name": "新机构备案请在机构信息页填写名称和地址"})
    name, address = (name or "").strip() or None, (address or "").strip() or None
    if name == firm.name:
        name = None
    if address == firm.address:
        address = None
    if name is None and address is None:
        raise Invalid(REFUSED, {"new_firm_name": "请填写与已备案信息不同的新机构名称或新地址"})
    if name is not None:
        same = select(Organization.id).where(Organization.name == name, Organization.id != firm.id)
        if db.session.scalar(same) is not None:
            raise Invalid(REFUSED, {"new_firm_name": f"已有名为「{name}」的机构，请核对"})
    firm.pending_name, firm.pending_address = name or firm.pending_name, address or firm.pending_address


def _listed_elsewhere(firm_id: int, id_number: str) -> FirmPerson | None:
    stmt = select(FirmPerson).where(
        FirmPerson.firm_id != firm_id, FirmPerson.id_number == id_number, FirmPerson.is_other_field_appraiser
    )
    return db.session.scalars(stmt).first()


def awaiting_confirmation(firm_id: int) -> list[FirmPerson]:
    """Other-field appraisers another firm lists who have not yet confirmed the move (R-FIL-4)."""
    return [p for p in people_of(firm_id) if (p.details or {}).get("confirm_from_firm_id")]


def confirm_move(person_id: int, user: User) -> FirmPerson:
    """R-FIL-4: the person, face-verified just now, confirms: listed here, removed from the other firm's list."""
    row = db.session.get(FirmPerson, person_id)
    if row is None or row.id_number is None or row.id_number != user.id_number:
        raise NotFound(gettext("没有需要您确认的机构备案"))
    from_firm_id = (row.details or {}).get("confirm_from_firm_id")
    if not from_firm_id:
        raise Conflict(gettext("您已确认过，无需重复确认"))
    if not passed_face_check_recently(user):
        raise FaceCheckRequired(gettext("确认前须进行人脸识别，确认为本人操作"))
    old = _row(from_firm_id, FirmPerson.id_number == row.id_number)
    if old is not None:
        old.is_other_field_appraiser = False
        if not any(getattr(old, r) for r in ROLE_LABELS):
            db.session.delete(old)
    row.details = {k: v for k, v in row.details.items() if k != "confirm_from_firm_id"}
    db.session.flush()
    return row


def _row(firm_id: int, where: Any) -> FirmPerson | None:
    return db.session.scalar(select(FirmPerson).where(FirmPerson.firm_id == firm_id, where))


def _remove_person(firm_id: int, key: str) -> None:
    """R-FIL-6: deleting the person deletes every role they hold."""
    row = _row(firm_id, (FirmPerson.id_number == key) | (FirmPerson.credit_code == key))
    if row is None:
        raise Invalid(REFUSED, {"remove_key": "人员列表中没有该身份证号或统一社会信用代码"})
    if row.filed:  # a filed person leaves the list when the finance department confirms the change
        row.removal_pending = True
    else:
        db.session.delete(row)


def people_of(firm_id: int, *, staying: bool = False) -> list[FirmPerson]:
    """The firm's listed people; `staying`: without those a pending change removes."""
    stmt = select(FirmPerson).where(FirmPerson.firm_id == firm_id).order_by(FirmPerson.id)
    if staying:
        stmt = stmt.where(FirmPerson.removal_pending.is_(False))
    return list(db.session.scalars(stmt))


def people_counts(firm_id: int) -> dict[str, int]:
    people = people_of(firm_id, staying=True)
    return {
        "people": len(people),
        "shareholders": sum(p.is_shareholder for p in people),
        "appraisers": sum(p.is_appraiser for p in people),
    }


def structure_facts(firm_id: int) -> dict[str, Any]:
    """Inputs of rules/firm_structure.dmn (Asset Appraisal Law art. 15).

    senior_appraiser_owners: shareholders (partners) who are appraisers with three or more years of practice and
    no suspension reaching into the last three years; suspended_owners: those whom only a suspension keeps out.
    """
    firm = db.session.get(Organization, firm_id)
    assert firm is not None
    people = people_of(firm_id, staying=True)
    today = clock.today()
    three_years_ago = date(today.year - 3, today.month, min(today.day, 28))
    senior = suspended = 0
    for p in people:
        member = db.session.get(Member, p.member_id) if p.member_id else None
        if p.is_shareholder and p.is_appraiser and member and member.practice_started_on:
            if member.practice_started_on <= three_years_ago:
                if suspended_since(member, three_years_ago):
                    suspended += 1
                else:
                    senior += 1
    branch = firm.pending_head_office_id is not None or firm.head_office_id is not None
    return {
        "firm_form": "branch" if branch else firm.firm_form,
        "appraisers": sum(p.is_appraiser for p in people),
        "owners": sum(p.is_shareholder for p in people),
        "senior_appraiser_owners": senior,
        "suspended_owners": suspended,
    }


def suspended_since(member: Member, since: date) -> bool:
    """A suspension of this person (any of their memberships) whose period reaches past `since`."""
    stmt = (
        select(func.count())
        .select_from(MemberPenalty)
        .join(Member, Member.id == MemberPenalty.member_id)
        .where(
            Member.user_id == member.user_id,
            MemberPenalty.kind == "suspension",
            MemberPenalty.starts_on <= clock.today(),
            or_(MemberPenalty.ends_on.is_(None), MemberPenalty.ends_on >= since),
        )
    )
    return bool(db.session.scalar(stmt))


def check_structure(firm_id: int) -> None:
    """Refuse at submit, with the count that falls short (rules/firm_structure.dmn)."""
    out = catalog().decide("firm_structure", structure_facts(firm_id)).outputs
    if not out.get("allowed"):
        raise Invalid(out.get("reason") or "机构人员构成不符合备案条件", {"person_action": out.get("reason") or ""})
