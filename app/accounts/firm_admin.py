"""Firm admins (R-ADM-1…R-ADM-4): who may apply, appointing the approved one (its power of attorney: organizations)."""

from typing import Any

from sqlalchemy import delete, exists, select

from app import clock
from app.accounts.models import RoleGrant, User
from app.accounts.sessions import revoke_credentials
from app.admin.audit import record_admin_action
from app.engine.scripting import operation
from app.errors import NotFound
from app.extensions import db
from app.members.models import Member
from app.organizations.models import Organization
from app.workflow.facts import fact_provider
from app.workflow.models import ProcessInstance


@fact_provider
def firm_admin_facts(user: User) -> dict[str, Any]:
    """Inputs of rules/firm_admin_eligibility.dmn and firm_admin_firm.dmn (R-ADM-1, R-ADM-4)."""
    members = list(db.session.scalars(select(Member).where(Member.user_id == user.id).order_by(Member.id.desc())))
    current = next((m for m in members if m.status != "resigned"), None)
    return {
        "member_status": current.status if current else ("resigned" if members else None),
        "member_kind": current.kind if current else None,
        "member_firm_id": current.firm_id if current else None,
        "in_custody": bool(current and current.status == "active" and current.in_custody),
        "is_firm_admin": any(g.role == "firm_admin" for g in user.grants),
        "has_pending_firm_admin": db.session.scalar(
            select(
                exists().where(
                    ProcessInstance.applicant_id == user.id,
                    ProcessInstance.process_id == "firm_admin",
                    ProcessInstance.status == "running",
                )
            )
        ),
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
