"""Firm admins (R-ADM-1…R-ADM-4): who may apply, appointing the approved one (its power of attorney: organizations)."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, select
from sqlalchemy.orm import QueryableAttribute

from app import clock
from app.accounts.models import RoleGrant, User
from app.accounts.sessions import revoke_credentials
from app.admin.audit import record_admin_action
from app.engine.scripting import operation
from app.errors import NotFound
from app.extensions import db
from app.members.models import Member
from app.organizations.models import Organization
from app.workflow.facts import Person, fact_provider, running_application
from app.workflow.models import ProcessInstance


def _firm_admin_values(person: Person) -> dict[str, ColumnElement[Any]]:
    def current(column: QueryableAttribute[Any]) -> ColumnElement[Any]:  # of the newest membership not resigned
        stmt = select(column).where(Member.user_id == person.id, Member.status != "resigned")
        return stmt.order_by(Member.id.desc()).limit(1).scalar_subquery()

    return {
        "status": current(Member.status),
        "firm_id": current(Member.firm_id),
        "ever_member": exists().where(Member.user_id == person.id),
        "is_firm_admin": exists().where(RoleGrant.user_id == person.id, RoleGrant.role == "firm_admin"),
        "pending": running_application(person.id, ProcessInstance.process_id == "firm_admin"),
    }


@fact_provider(_firm_admin_values)
def firm_admin_facts(_user: User, values: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs of rules/firm_admin_eligibility.dmn and firm_admin_firm.dmn (R-ADM-1, R-ADM-4); their member_kind and
    in_custody are the active membership's (app/members/lifecycle.py, app/members/services.py)."""
    return {
        "member_status": values["status"] or ("resigned" if values["ever_member"] else None),
        "member_firm_id": values["firm_id"],
        "is_firm_admin": bool(values["is_firm_admin"]),
        "has_pending_firm_admin": bool(values["pending"]),
    }


def firm_admin_of_firm(firm_id: int) -> User | None:
    stmt = select(User).join(RoleGrant).where(RoleGrant.role == "firm_admin", RoleGrant.organization_id == firm_id)
    return db.session.scalar(stmt)


@operation("accounts/appoint_firm_admin")
def appoint_firm_admin(user_id: int, firm_id: int) -> dict[str, Any]:
    """R-ADM-1: the approved applicant becomes the firm's one admin (acting as the firm); the old one loses it."""
    firm = db.session.get(Organization, firm_id)
    if firm is None or firm.kind != "firm":
        raise NotFound(f"机构 {firm_id} 不存在")
    previous = firm_admin_of_firm(firm_id)
    if previous is not None and previous.id != user_id:
        db.session.execute(
            delete(RoleGrant).where(
                RoleGrant.user_id == previous.id,
                RoleGrant.organization_id == firm_id,
                RoleGrant.role.in_(("firm_admin", "firm")),
            )
        )
        revoke_credentials(previous.id)
    # a person admins at most one firm: an admin role elsewhere ends with this appointment
    db.session.execute(delete(RoleGrant).where(RoleGrant.user_id == user_id, RoleGrant.role == "firm_admin"))
    db.session.flush()
    held = set(
        db.session.scalars(
            select(RoleGrant.role).where(RoleGrant.user_id == user_id, RoleGrant.organization_id == firm_id)
        )
    )
    for role in ("firm_admin", "firm"):
        if role not in held:
            db.session.add(RoleGrant(user_id=user_id, role=role, organization_id=firm_id))
    db.session.flush()
    db.session.expire_all()
    appointed = db.session.get(User, user_id)
    details = {"organization": firm.name, "user": appointed.name if appointed else str(user_id)}
    if previous is not None and previous.id != user_id:
        details["replaced"] = previous.name
    record_admin_action(None, "firm_admin.appoint", f"user:{user_id}", details)
    return {
        "firm_name": firm.name,
        "replaced_name": previous.name if previous is not None and previous.id != user_id else None,
        "appointed_on": clock.today().isoformat(),
    }
