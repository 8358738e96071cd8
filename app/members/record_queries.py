"""Reading the association's records for its pages: rounds with their counts, sanctions, one member's file."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.members.models import Member
from app.members.record_models import CreditRecord, DuesRecord, InspectionResult, InspectionRound, MembershipSanction
from app.organizations.models import Organization


@dataclass(frozen=True)
class RoundSummary:
    round: InspectionRound
    association: str
    counts: dict[str, int]


def list_rounds(scope: set[int] | None = None) -> list[RoundSummary]:
    """Every round, or those of the associations in `scope` (a local association's staff)."""
    wanted = select(InspectionRound).order_by(InspectionRound.year.desc(), InspectionRound.id)
    if scope is not None:
        wanted = wanted.where(InspectionRound.local_association_id.in_(scope))
    rounds = list(db.session.scalars(wanted))
    counts: dict[int, dict[str, int]] = {}
    stmt = select(InspectionResult.round_id, InspectionResult.status, func.count()).group_by(
        InspectionResult.round_id, InspectionResult.status
    )
    for round_id, status, n in db.session.execute(stmt):
        counts.setdefault(round_id, {})[status] = n
    names = {i: n for i, n in db.session.execute(select(Organization.id, Organization.name))}
    return [RoundSummary(r, names.get(r.local_association_id, ""), counts.get(r.id, {})) for r in rounds]


def list_sanctions(scope: set[int] | None = None, limit: int = 50) -> list[tuple[MembershipSanction, str, str]]:
    stmt = (
        select(MembershipSanction, Member.member_number, User.name)
        .join(Member, Member.id == MembershipSanction.member_id)
        .join(User, User.id == Member.user_id)
        .order_by(MembershipSanction.id.desc())
        .limit(limit)
    )
    if scope is not None:
        stmt = stmt.where(Member.local_association_id.in_(scope))
    return [(s, n, name) for s, n, name in db.session.execute(stmt)]


def member_file(number: str, scope: set[int] | None = None) -> dict[str, Any] | None:
    """One member's records as the association sees them (credit records are for reference only); None for a
    member of an association outside `scope`, as for an unknown number."""
    member = db.session.scalar(select(Member).where(Member.member_number == number.strip()))
    if member is None or (scope is not None and member.local_association_id not in scope):
        return None
    results = db.session.execute(
        select(InspectionRound.year, InspectionResult.status, InspectionResult.note)
        .join(InspectionRound, InspectionRound.id == InspectionResult.round_id)
        .where(InspectionResult.member_id == member.id)
        .order_by(InspectionRound.year.desc())
    ).all()
    return {
        "member": member,
        "user": db.session.get(User, member.user_id),
        "inspections": results,
        "dues": list(
            db.session.scalars(select(DuesRecord).where(DuesRecord.member_id == member.id).order_by(DuesRecord.year))
        ),
        "sanctions": list(
            db.session.scalars(
                select(MembershipSanction)
                .where(MembershipSanction.member_id == member.id)
                .order_by(MembershipSanction.id)
            )
        ),
        "credit": list(
            db.session.scalars(
                select(CreditRecord).where(CreditRecord.member_id == member.id).order_by(CreditRecord.id)
            )
        ),
    }


def credit_records(member: Member) -> list[str]:
    """The member's 信用档案 entries, shown to reviewers for reference only (R-STA-1)."""
    stmt = select(CreditRecord.content).where(CreditRecord.member_id == member.id).order_by(CreditRecord.id)
    return list(db.session.scalars(stmt))
