"""Membership: admitting members, and the facts about a person that joining rules read."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists, select

from app import clock
from app.accounts.models import User
from app.engine.scripting import operation
from app.extensions import db
from app.members.models import MEMBER_KINDS, Member
from app.organizations.models import Organization
from app.workflow.facts import fact_provider
from app.workflow.models import ProcessInstance

PRACTICING = ("trainee", "full")
REJOIN_BLOCK = timedelta(days=365)  # R-RES-3


@fact_provider
def membership_facts(user: User) -> dict[str, Any]:
    members = list(db.session.scalars(select(Member).where(Member.user_id == user.id)))
    today = clock.now().date()
    resigned = [m.left_on for m in members if m.status == "resigned" and m.left_on]
    blocked_until = max(resigned) + REJOIN_BLOCK if resigned else None
    return {
        "is_member": any(m.status == "active" for m in members),
        "prior_practicing_before_2023": any(m.kind in PRACTICING and m.joined_on < date(2023, 1, 1) for m in members),
        "rejoin_blocked_until": blocked_until.isoformat() if blocked_until and blocked_until > today else None,
        "has_pending_join": db.session.scalar(
            select(
                exists().where(
                    ProcessInstance.applicant_id == user.id,
                    ProcessInstance.process_id.like("join_%"),
                    ProcessInstance.status == "running",
                )
            )
        ),
    }


@operation("members/admit_member")
def admit_member(user_id: int, firm_id: int, kind: str) -> dict[str, Any]:
    """Final approval of a joining application: the person becomes a member of the firm (R-JOIN-3)."""
    firm = db.session.get(Organization, firm_id)
    assert firm is not None and firm.local_association_id is not None
    today = clock.now().date()
    member = Member(
        user_id=user_id,
        member_number="",
        kind=kind,
        firm_id=firm_id,
        local_association_id=firm.local_association_id,
        joined_on=today,
    )
    db.session.add(member)
    db.session.flush()
    member.member_number = f"{today.year}{member.id:06d}"
    return {
        "member_id": member.id,
        "member_number": member.member_number,
        "kind": kind,
        "kind_label": MEMBER_KINDS[kind],
    }


def active_member(user: User) -> Member | None:
    return db.session.scalar(select(Member).where(Member.user_id == user.id, Member.status == "active"))
