"""New firm filing (R-FIL-1, R-TRF-9): the firm row the filing works on, and filing it on confirmation."""

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.exc import IntegrityError
from stdnum.cn import uscc

from app import clock
from app.accounts.models import User
from app.engine.scripting import operation
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.members.models import Member
from app.organizations.models import FirmPerson, Organization
from app.workflow.facts import Person, fact_provider, running_application
from app.workflow.models import ProcessInstance

PROCESS_ID = "firm_filing"
REFUSED = "请按提示修改后再提交"


def _filing_values(person: Person) -> dict[str, ColumnElement[Any]]:
    return {"pending": running_application(person.id, ProcessInstance.process_id == PROCESS_ID)}


@fact_provider(_filing_values)
def firm_filing_facts(_user: User, values: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs of rules/firm_filing_eligibility.dmn besides is_firm_admin (accounts/firm_admin.py)."""
    return {"has_pending_firm_filing": bool(values["pending"])}


def _filing_running(user_id: int) -> bool:
    return bool(db.session.scalar(select(running_application(user_id, ProcessInstance.process_id == PROCESS_ID))))


def valid_credit_code(raw: str | None, field: str) -> str:
    """R-FIL-2: a unified social credit code with its GB 32100 check character, compacted and upper-case."""
    code = uscc.compact(raw or "").upper()
    if not uscc.is_valid(code):
        raise Invalid(REFUSED, {field: "统一社会信用代码不正确（应为 18 位，且校验位须符合 GB 32100），请核对"})
    return code


def finance_department_of(province: str | None) -> Organization | None:
    stmt = select(Organization).where(Organization.kind == "finance_department", Organization.province == province)
    return db.session.scalar(stmt)


@operation("organizations/open_filing")
def open_filing(applicant_user_id: int, firm: dict[str, Any]) -> dict[str, Any]:
    """The unfiled firm row this filing fills: adopted when a pre-filing created it (R-TRF-9), else a new one.

    The credit code is the firm's identity; the unique credit_code column guarantees one row per firm even
    when two filings race. A filed firm cannot be filed again, and an unfiled row another applicant is
    filing right now is refused.
    """
    name = (firm.get("firm_name") or "").strip()
    raw_code = uscc.compact(firm.get("credit_code") or "").upper()
    row = db.session.scalar(select(Organization).where(Organization.credit_code == raw_code).with_for_update())
    _refuse_taken(row, name, applicant_user_id)
    code = valid_credit_code(raw_code, "credit_code")
    association = db.session.get(Organization, firm.get("local_association_id"))
    if association is None or association.kind != "local_association":
        raise Invalid(REFUSED, {"local_association_id": gettext("请选择机构所在省的资产评估协会")})
    finance = finance_department_of(association.province)
    if finance is None:
        raise Invalid(REFUSED, {"local_association_id": f"{association.province}地方财政部门尚未开通备案确认"})
    previous = db.session.scalar(
        select(Organization).where(Organization.filing_applicant_id == applicant_user_id, Organization.filed.is_(False))
    )
    adopted = row is not None
    if row is None:
        row = _new_firm_row(name, code)
    row.name, row.province, row.local_association_id = name, association.province, association.id
    row.firm_form, row.address = firm.get("firm_form"), firm.get("address")
    row.legal_representative, row.filing_applicant_id = firm.get("legal_representative"), applicant_user_id
    head = _head_office(firm.get("head_office_credit_code"), row)
    row.pending_head_office_id = head.id if head is not None else None
    if previous is not None and previous.id != row.id:
        _move_people(previous, row)
    _list_prefiled_members(row)
    db.session.flush()
    return {
        "firm_id": row.id,
        "firm_name": row.name,
        "credit_code": code,
        "finance_department_id": finance.id,
        "finance_department_name": finance.name,
        "adopted": adopted,
        "head_office_name": head.name if head is not None else None,
    }


def _head_office(raw: str | None, row: Organization) -> Organization | None:
    """A branch (分所) names its filed head office by credit code; a branch of a branch is refused."""
    if not (raw or "").strip():
        return None
    code = valid_credit_code(raw, "head_office_credit_code")
    head = db.session.scalar(select(Organization).where(Organization.credit_code == code))
    if head is None or head.kind != "firm" or not head.filed or head.id == row.id:
        reason = gettext("没有以该统一社会信用代码备案的总所，请核对；总所须先完成备案")
        raise Invalid(REFUSED, {"head_office_credit_code": reason})
    if head.head_office_id is not None:
        reason = f"「{head.name}」本身是分所，请填写其总所的统一社会信用代码"
        raise Invalid(REFUSED, {"head_office_credit_code": reason})
    return head


def _refuse_taken(row: Organization | None, name: str, applicant_user_id: int) -> None:
    if row is not None and (row.kind != "firm" or row.filed):
        raise Invalid(REFUSED, {"credit_code": f"该统一社会信用代码已属于已备案的「{row.name}」，不能重复备案"})
    same_name = db.session.scalar(
        select(Organization.name).where(
            Organization.kind == "firm", Organization.filed.is_(True), Organization.name == name
        )
    )
    if same_name is not None:
        raise Invalid(REFUSED, {"firm_name": f"「{name}」已完成备案，不能重复备案"})
    holder = row.filing_applicant_id if row is not None else None
    if holder not in (None, applicant_user_id) and _filing_running(holder):  # type: ignore[arg-type]
        raise Invalid(REFUSED, {"credit_code": gettext("该机构已有他人正在办理备案，请与其联系")})


def _new_firm_row(name: str, code: str) -> Organization:
    row = Organization(kind="firm", name=name, credit_code=code, filed=False)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError as err:  # another filing or pre-filing inserted the same credit code just now
        raise Conflict(gettext("该统一社会信用代码刚刚已被登记，请重新提交")) from err
    return row


def _move_people(previous: Organization, row: Organization) -> None:
    """The applicant changed the credit code: the people follow; an empty row this filing made is removed."""
    for person in db.session.scalars(select(FirmPerson).where(FirmPerson.firm_id == previous.id)):
        clash = db.session.scalar(
            select(FirmPerson.id).where(FirmPerson.firm_id == row.id, FirmPerson.id_number == person.id_number)
        )
        if (clash is None or person.id_number is None) and not person.details.get("prefiled"):
            person.firm_id = row.id
        else:  # listed twice, or pre-filed into the previous firm: not one of the new firm's people
            db.session.delete(person)
    db.session.flush()
    has_members = db.session.scalar(select(exists().where(Member.firm_id == previous.id)))
    if has_members:
        previous.filing_applicant_id = None
    else:
        db.session.delete(previous)


def _list_prefiled_members(row: Organization) -> None:
    """Members who pre-filed into this firm (R-TRF-9) appear in its list of appraisers by themselves."""
    listed = set(
        db.session.scalars(
            select(FirmPerson.member_id).where(FirmPerson.firm_id == row.id, FirmPerson.member_id.is_not(None))
        )
    )
    members = db.session.scalars(select(Member).where(Member.firm_id == row.id, Member.status == "active"))
    for member in members:
        if member.id in listed:
            continue
        user = db.session.get(User, member.user_id)
        assert user is not None
        db.session.add(
            FirmPerson(
                firm_id=row.id,
                person_kind="natural",
                name=user.name,
                id_number=user.id_number,
                member_id=member.id,
                is_appraiser=True,
                details={"prefiled": True},
            )
        )


@operation("organizations/complete_filing")
def complete_filing(firm_id: int) -> dict[str, Any]:
    """The finance department confirmed a new filing: the firm is filed and its people with it."""
    firm = firm_row(firm_id)
    firm.filed, firm.filed_at, firm.filing_applicant_id = True, clock.now(), None
    head = db.session.get(Organization, firm.pending_head_office_id) if firm.pending_head_office_id else None
    firm.head_office_id, firm.pending_head_office_id = (head.id if head else None), None  # R-TRF-8 sees it now
    moved = file_people(firm)
    listed = db.session.scalar(select(func.count()).where(FirmPerson.firm_id == firm.id))
    record_history(firm, "新机构备案", f"备案人员 {listed} 人" + (f"；分所，总所：{head.name}" if head else ""))
    _end_prefiling_watches(firm)
    return {"firm_name": firm.name, "appraisers_moved": moved, "filed_on": clock.today().isoformat()}


def _end_prefiling_watches(firm: Organization) -> None:
    """Members who pre-filed into the firm stay there (manual: 备案完成后，您可进入至该所执业): their deadline ends.

    Sent after the engine run that files the firm (follow-up work), never from inside it."""
    from app.members.transfers import PREFILING_WATCH
    from app.workflow.system import message_running

    members = select(Member.user_id).where(Member.firm_id == firm.id, Member.status == "active")
    watched = select(ProcessInstance.applicant_id).where(
        ProcessInstance.process_id == PREFILING_WATCH,
        ProcessInstance.status == "running",
        ProcessInstance.applicant_id.in_(members),
    )
    for user_id in sorted(set(db.session.scalars(watched))):
        message_running(PREFILING_WATCH, user_id, "firm_filed")


def firm_row(firm_id: int) -> Organization:
    firm = db.session.get(Organization, firm_id)
    if firm is None or firm.kind != "firm":
        raise NotFound(f"机构 {firm_id} 不存在")
    return firm


def file_people(firm: Organization) -> int:
    """The listed people become the firm's filed people; returns how many appraisers moved in.

    Appraisers practise there (members in custody leave custody; pre-filed members are there already);
    a member's is_shareholder (which R-TRF-3 reads) follows the filed list; rows marked for removal go.
    """
    from app.members.transfers import end_custody_watch  # members build on organisations, not the reverse

    moved = 0
    for person in db.session.scalars(select(FirmPerson).where(FirmPerson.firm_id == firm.id)):
        member = db.session.get(Member, person.member_id) if person.member_id else None
        if person.removal_pending:
            if member is not None and member.firm_id == firm.id:
                member.is_shareholder = False
            db.session.delete(person)
            continue
        person.filed = True
        if member is None or member.status != "active":
            continue
        if person.is_appraiser and member.firm_id != firm.id:
            if member.in_custody:
                end_custody_watch(member)
            member.firm_id, member.in_custody = firm.id, False
            member.local_association_id = firm.local_association_id or member.local_association_id
            moved += 1
        if member.firm_id == firm.id:
            member.is_shareholder = person.is_shareholder
    db.session.flush()
    return moved


def record_history(firm: Organization, what: str, detail: str) -> None:
    """The firm page's filing history: one entry per confirmed filing or change."""
    entry = {"on": clock.today().isoformat(), "what": what, "detail": detail}
    firm.filing_history = [*(firm.filing_history or []), entry]  # a new list: JSON columns track assignment
