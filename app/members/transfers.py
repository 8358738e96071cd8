"""Custody (协会代管, R-TRF-7) with its one-year watch; branch (R-TRF-8), pre-filing (R-TRF-9), departed (R-TRF-10)."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import ColumnElement, case, exists, func, or_, select
from sqlalchemy.orm import aliased
from stdnum.cn import uscc

from app import clock
from app.accounts.models import User
from app.accounts.rights import active_grants
from app.engine.scripting import operation
from app.engine.specs import catalog
from app.errors import Invalid, NotEligible
from app.extensions import db
from app.members.models import Member
from app.members.services import (
    CUSTODY_WATCH,
    active_member,
    end_custody_watch,
    move_context,
    of_active_member,
    pending_member_change,
)
from app.organizations.models import Organization
from app.workflow.facts import Person, fact_provider
from app.workflow.system import start_system_process

PREFILING_WATCH = "prefiling_watch"


def _branch_values(person: Person) -> dict[str, ColumnElement[Any]]:
    firm_id = of_active_member(person, Member.firm_id)
    firm = aliased(Organization)
    head = func.coalesce(select(firm.head_office_id).where(firm.id == firm_id).scalar_subquery(), firm_id)
    # two probes by key (the head office, its branches), not one OR that a planner may answer from every firm
    head_office = exists().where(Organization.id == head, Organization.id != firm_id, Organization.kind == "firm")
    branches = exists().where(
        Organization.head_office_id == head, Organization.id != firm_id, Organization.kind == "firm"
    )
    return {"firm_has_branches": or_(head_office, branches)}


@fact_provider(_branch_values)
def branch_facts(_user: User, values: Mapping[str, Any]) -> dict[str, Any]:
    """R-TRF-8: whether the member's firm has a head office or branch to move to."""
    return {"firm_has_branches": bool(values["firm_has_branches"])}


def _member_of(user_id: int) -> Member:
    user = db.session.get(User, user_id)
    member = active_member(user) if user else None
    if member is None:
        raise NotEligible(gettext("只有执业会员可以申请"))
    return member


@operation("members/custody_context")
def custody_context(user_id: int) -> dict[str, Any]:
    """R-TRF-7: the current firm confirms the leave; its local association (only that one) approves."""
    member = _member_of(user_id)
    if member.in_custody or member.firm_id is None:
        raise NotEligible(gettext("您已在协会代管中"))
    return {
        "member_id": member.id,
        "firm_id": member.firm_id,
        "local_association_id": member.local_association_id,
    }


@operation("members/place_in_custody")
def place_in_custody(member_id: int, from_firm_id: int | None = None) -> dict[str, Any]:
    """The association approved: the member leaves the firm and is parked at the local association.

    Starts the one-year watch (custody_watch.bpmn) as its own instance once this run is done, so this
    application ends as decided for the applicant and does not keep counting as a pending member change
    (R-ONE-1) for a year.
    """
    member = db.session.get(Member, member_id)
    assert member is not None
    if from_firm_id is not None and (member.firm_id != from_firm_id or member.status != "active"):
        # R-TRF-10: the appraiser transferred (or left) while the firm's request was under review
        raise NotEligible(gettext("该人员已不在本机构（可能已办理转所），不能转入协会代管，请不予通过"))
    member.firm_id, member.in_custody = None, True
    start_system_process(
        CUSTODY_WATCH,
        member.user_id,
        {"member_id": member.id, "local_association_id": member.local_association_id},
    )
    return {"local_association_name": member.local_association.name}


@operation("members/custody_status")
def custody_status(member_id: int) -> dict[str, Any]:
    """When the custody year is up: is the member still an active member in custody?"""
    member = db.session.get(Member, member_id)
    return {"in_custody": bool(member and member.status == "active" and member.in_custody)}


@operation("members/branch_transfer_context")
def branch_transfer_context(user_id: int, new_firm_id: int) -> dict[str, Any]:
    """R-TRF-8: only between the head office and its branches (Organization.head_office_id)."""
    member = _member_of(user_id)
    current = member.firm
    target = db.session.get(Organization, new_firm_id)
    if current is None or member.in_custody:
        raise NotEligible(gettext("协会代管期间不能办理总分所转所"))
    head = current.head_office_id or current.id
    if target is None or target.kind != "firm" or (target.head_office_id or target.id) != head:
        raise Invalid(gettext("只能转入本机构的总所或分所"), {"new_firm_id": "只能转入本机构的总所或分所"})
    return move_context(member, target)


@operation("members/prefiling_context")
def prefiling_context(user_id: int, firm_name: str, credit_code: str, incoming_association_id: int) -> dict[str, Any]:
    """R-TRF-9: the named firm must not be a filed one (neither by name nor by credit code); the procedures' 转入协会
    is the local association the new firm will belong to."""
    member = _member_of(user_id)
    name, code = firm_name.strip(), uscc.compact(credit_code).upper()
    errors = {}
    if not uscc.is_valid(code):
        errors["credit_code"] = "统一社会信用代码格式不正确，请核对（18 位，含校验位）"
    filed = db.session.scalar(
        select(Organization.name)
        .where(Organization.filed.is_(True), or_(Organization.name == name, Organization.credit_code == code))
        .order_by(case((Organization.name == name, 0), else_=1), Organization.id)  # the name field's firm first
        .limit(1)
    )
    if filed is not None:
        errors["firm_name"] = f"「{filed}」已完成备案，请申请转所"
    incoming = db.session.get(Organization, incoming_association_id)
    if incoming is None or incoming.kind != "local_association":
        errors["incoming_association_id"] = "请选择转入协会"
    if errors:
        raise Invalid(gettext("请按提示修改后再提交"), errors)
    return {
        "member_id": member.id,
        "local_association_id": member.local_association_id,
        "firm_name": name,
        "credit_code": code,
        "incoming_association_id": incoming_association_id,
    }


@operation("members/join_prefiling_firm")
def join_prefiling_firm(
    member_id: int, firm_name: str, credit_code: str, incoming_association_id: int | None = None
) -> dict[str, Any]:
    """The association approved: the member belongs to the (unfiled) firm, placed under the 转入协会 named on the form
    (the member's own before that field existed); the filing deadline starts."""
    member = db.session.get(Member, member_id)
    assert member is not None
    incoming = db.session.get(Organization, incoming_association_id) if incoming_association_id else None
    association = incoming or member.local_association
    firm = db.session.scalar(select(Organization).where(func.upper(Organization.credit_code) == credit_code))
    if firm is None:
        firm = Organization(
            kind="firm",
            name=firm_name,
            credit_code=credit_code,
            province=association.province,
            local_association_id=association.id,
            filed=False,
        )
        db.session.add(firm)
        db.session.flush()
    if member.in_custody:
        end_custody_watch(member)
    member.firm_id, member.in_custody = firm.id, False
    member.local_association_id = firm.local_association_id or member.local_association_id
    days = int(current_app.config["MEMBERFLOW_PREFILING_DAYS"])
    start_system_process(
        PREFILING_WATCH, member.user_id, {"member_id": member.id, "firm_id": firm.id, "prefiling_days": days}
    )
    return {"firm_name": firm.name, "prefiling_days": days}


@operation("members/prefiling_due")
def prefiling_due(member_id: int, firm_id: int) -> dict[str, Any]:
    """At the deadline: has the firm completed its filing, and is the member still with it?"""
    member = db.session.get(Member, member_id)
    firm = db.session.get(Organization, firm_id)
    assert member is not None and firm is not None
    still_there = member.status == "active" and member.firm_id == firm.id
    return {"filed": firm.filed, "move_to_custody": still_there and not firm.filed, "firm_name": firm.name}


def _firm_grant_ids(user: User) -> list[int]:
    return [g.organization_id for g in active_grants(user) if g.role == "firm"]


@fact_provider()
def firm_user_facts(user: User, _values: Mapping[str, Any]) -> dict[str, Any]:
    """R-TRF-10: only a firm's reviewer may ask to move a departed appraiser into custody."""
    return {"is_firm_user": bool(_firm_grant_ids(user))}


@operation("members/departed_context")
def departed_context(user_id: int, member_number: str, member_name: str, left_on: str) -> dict[str, Any]:
    """R-TRF-10: the appraiser belongs to the asking firm, left 30+ days ago and has no transfer under way."""
    user = db.session.get(User, user_id)
    assert user is not None
    firm_ids = _firm_grant_ids(user)
    member = db.session.scalar(
        select(Member).where(Member.member_number == member_number.strip(), Member.status == "active")
    )
    person = db.session.get(User, member.user_id) if member else None
    if member is None or person is None or member.firm_id not in firm_ids or person.name != member_name.strip():
        raise Invalid(gettext("请按提示修改后再提交"), {"member_number": "本机构没有该会员编号与姓名相符的执业人员"})
    facts = {
        "days_since_leaving": (clock.today() - date.fromisoformat(left_on)).days,
        "pending_member_change": pending_member_change(person),
        "in_custody": member.in_custody,
    }
    out = catalog().decide("departed_custody_check", facts).outputs
    if not out.get("eligible"):
        reason = out.get("reason") or gettext("不符合申请条件")
        raise Invalid(gettext("请按提示修改后再提交"), {out.get("field") or "left_on": reason})
    assert member.firm is not None
    return {
        "member_id": member.id,
        "user_id": person.id,  # the person the application is about (start property subject, R-ONE-1)
        "member_name": person.name,
        "firm_id": member.firm_id,
        "firm_name": member.firm.name,
        "local_association_id": member.local_association_id,
    }
