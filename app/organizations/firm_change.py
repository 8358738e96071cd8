"""Changes to a filed firm's people (firm_change.bpmn): started by its admin, confirmed by the finance department."""

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from sqlalchemy import ColumnElement, delete, select, update

from app.accounts.models import User
from app.accounts.rights import active_grants
from app.engine.scripting import operation
from app.errors import NotEligible
from app.extensions import db
from app.organizations.filing import file_people, finance_department_of, firm_row, record_history
from app.organizations.models import FirmPerson, Organization
from app.workflow.facts import Person, fact_provider, running_application
from app.workflow.models import ProcessInstance

PROCESS_ID = "firm_change"


def _firm_change_values(person: Person) -> dict[str, ColumnElement[Any]]:
    return {"pending": running_application(person.id, ProcessInstance.process_id == PROCESS_ID)}


@fact_provider(_firm_change_values)
def firm_change_facts(_user: User, values: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs of rules/firm_change_eligibility.dmn besides is_firm_admin (accounts/firm_admin.py)."""
    return {"has_pending_firm_change": bool(values["pending"])}


@operation("organizations/change_context")
def change_context(user_id: int) -> dict[str, Any]:
    """The firm its admin changes (an admin changes only their own firm), and its province's finance department."""
    user = db.session.get(User, user_id)
    firm_id = next((g.organization_id for g in active_grants(user) if g.role == "firm_admin"), None) if user else None
    firm = db.session.get(Organization, firm_id) if firm_id else None
    if firm is None or not firm.filed:
        raise NotEligible(gettext("只有已备案机构的机构管理员可以办理机构备案变更"))
    finance = finance_department_of(firm.province)
    if finance is None:
        raise NotEligible(gettext("%(province)s地方财政部门尚未开通备案确认", province=firm.province))
    firm.filing_applicant_id = user_id  # the people panel and the change's rows belong to this change
    db.session.flush()
    return {
        "firm_id": firm.id,
        "firm_name": firm.name,
        "finance_department_id": finance.id,
        "finance_department_name": finance.name,
    }


@operation("organizations/confirm_change")
def confirm_change(firm_id: int) -> dict[str, Any]:
    """Confirmed: new people are filed, removed ones leave (a removed shareholder may transfer, R-TRF-3), the new
    name and address apply."""
    firm = firm_row(firm_id)
    listed = select(FirmPerson.name).where(FirmPerson.firm_id == firm.id).order_by(FirmPerson.id)  # listing order
    removed = list(db.session.scalars(listed.where(FirmPerson.removal_pending)))
    added = list(db.session.scalars(listed.where(FirmPerson.filed.is_(False))))
    file_people(firm)
    detail = f"新增：{'、'.join(added) or '无'}；删除：{'、'.join(removed) or '无'}"
    if firm.pending_name:
        detail += f"；名称：{firm.name} → {firm.pending_name}"
        firm.name = firm.pending_name
    if firm.pending_address:
        detail += f"；地址：{firm.address or '未登记'} → {firm.pending_address}"
        firm.address = firm.pending_address
    firm.pending_name = firm.pending_address = firm.filing_applicant_id = None
    record_history(firm, "备案变更", detail)
    return {"firm_name": firm.name, "removed": "、".join(removed)}


@operation("organizations/discard_change")
def discard_change(firm_id: int) -> dict[str, Any]:
    """Rejected or abandoned: the filed list, name and address stay as they were."""
    firm = firm_row(firm_id)
    db.session.execute(delete(FirmPerson).where(FirmPerson.firm_id == firm.id, FirmPerson.filed.is_(False)))
    db.session.execute(update(FirmPerson).where(FirmPerson.firm_id == firm.id).values(removal_pending=False))
    firm.pending_name = firm.pending_address = firm.filing_applicant_id = None
    db.session.flush()
    db.session.expire_all()
    return {"firm_name": firm.name}
