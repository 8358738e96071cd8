"""Membership: admitting members, and the facts about a person that joining rules read."""

from datetime import date
from typing import Any

from flask_babel import gettext
from sqlalchemy import exists, select

from app import clock
from app.accounts.models import User
from app.engine.scripting import operation
from app.engine.specs import catalog
from app.errors import Invalid, NotEligible
from app.extensions import db
from app.members.models import BASIC_INFO_FIELDS, CORE_FILING_KINDS, MEMBER_KINDS, CoreFiling, Member
from app.organizations.models import Organization
from app.organizations.societies import member_number
from app.workflow.facts import fact_provider
from app.workflow.models import AuditEvent, ProcessInstance
from app.workflow.system import message_running

PRACTICING = ("trainee", "full")
CUSTODY_WATCH = "custody_watch"  # processes/custody_watch.bpmn: the custody year (R-TRF-7)
CUSTODY_ENDED = "custody_ended"


def one_year_after(day: date) -> date:
    """The same calendar day a year later; 29 February's year ends on 1 March."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 3, 1)


@fact_provider
def membership_facts(user: User) -> dict[str, Any]:
    members = list(db.session.scalars(select(Member).where(Member.user_id == user.id)))
    today = clock.today()
    resigned = [m.left_on for m in members if m.status == "resigned" and m.left_on]
    blocked_until = one_year_after(max(resigned)) if resigned else None  # R-RES-3
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


@fact_provider
def change_facts(user: User) -> dict[str, Any]:
    """Facts for transfers and status changes (R-TRF-1..3, R-ONE-1), plus earlier uploads to prefill forms."""
    member = active_member(user)
    return {
        "is_practicing_member": member is not None and member.kind in PRACTICING,
        "annual_inspection": member.annual_inspection if member else None,
        "is_shareholder": bool(member and member.is_shareholder),
        "in_custody": bool(member and member.in_custody),
        "pending_member_change": pending_member_change(user),
        **_earlier_uploads(user, ("archive_certificate", "social_security")),
    }


def pending_member_change(user: User) -> str | None:
    """The running application of the 'member_change' group (start event property exclusiveGroup), if any."""
    cat = catalog()
    grouped = [pid for pid in cat.current if cat.process(pid).start_properties.get("exclusiveGroup") == "member_change"]
    if not grouped:
        return None
    running = db.session.scalar(
        select(ProcessInstance.process_id).where(
            ProcessInstance.applicant_id == user.id,
            ProcessInstance.status == "running",
            ProcessInstance.process_id.in_(grouped),
        )
    )
    return cat.process(running).name if running else None


def _earlier_uploads(user: User, fields: tuple[str, ...]) -> dict[str, Any]:
    """R-TRF-5: documents the person already filed are offered again (editable) in a new application."""
    found: dict[str, Any] = {}
    events = db.session.scalars(
        select(AuditEvent.data)
        .where(AuditEvent.actor_id == user.id, AuditEvent.role == "applicant", AuditEvent.data.is_not(None))
        .order_by(AuditEvent.at.desc())
        .limit(20)
    )
    for data in events:
        for name in fields:
            if name not in found and (data or {}).get(name):
                found[name] = data[name]
    return found


@operation("members/transfer_context")
def transfer_context(user_id: int, new_firm_id: int) -> dict[str, Any]:
    """Who confirms and approves a transfer: the old firm, the outgoing and (other province) incoming association."""
    user = db.session.get(User, user_id)
    member = active_member(user) if user else None
    new_firm = db.session.get(Organization, new_firm_id)
    if member is None:
        raise NotEligible(gettext("只有执业会员可以申请转所"))
    if new_firm is None or new_firm.kind != "firm" or not new_firm.filed:
        raise Invalid(gettext("转入机构须为已备案的资产评估机构"), {"new_firm_id": "请选择已备案的资产评估机构"})
    return move_context(member, new_firm)


def move_context(member: Member, new_firm: Organization) -> dict[str, Any]:
    """Who decides a move to `new_firm`: the old firm, and the outgoing and (other province) incoming association."""
    if new_firm.id == member.firm_id:
        raise Invalid(gettext("转入机构不能是当前所在机构"), {"new_firm_id": "转入机构不能是当前所在机构"})
    return {
        "member_id": member.id,
        "old_firm_id": member.firm_id,
        "old_local_association_id": member.local_association_id,
        "new_firm_id": new_firm.id,
        "new_local_association_id": new_firm.local_association_id,
        "cross_province": new_firm.local_association_id != member.local_association_id,
    }


@operation("members/transfer_member")
def transfer_member(member_id: int, new_firm_id: int) -> dict[str, Any]:
    """Final approval of a transfer: the member belongs to the new firm and its province (R-TRF-4)."""
    member = db.session.get(Member, member_id)
    firm = db.session.get(Organization, new_firm_id)
    assert member is not None and firm is not None and firm.local_association is not None
    if member.in_custody:
        end_custody_watch(member)
    member.firm_id, member.local_association_id, member.in_custody = firm.id, firm.local_association.id, False
    return {"firm_name": firm.name, "local_association_name": firm.local_association.name}


@operation("members/admit_member")
def admit_member(user_id: int, firm_id: int, kind: str, application_form: str | None = None) -> dict[str, Any]:
    """Final approval of a joining application: the person becomes a member of the firm (R-JOIN-3)."""
    firm = db.session.get(Organization, firm_id)
    assert firm is not None and firm.local_association_id is not None
    member = admit_person(user_id, kind, firm.local_association_id, application_form, firm_id=firm_id)
    return {
        "member_id": member.id,
        "member_number": member.member_number,
        "kind": kind,
        "kind_label": MEMBER_KINDS[kind],
    }


def admit_person(
    user_id: int, kind: str, local_association_id: int, application_form: str | None, firm_id: int | None = None
) -> Member:
    """A new member record dated the association's today, numbered by that year, filled from the application."""
    today = clock.today()
    member = Member(
        user_id=user_id,
        member_number="",
        kind=kind,
        firm_id=firm_id,
        local_association_id=local_association_id,
        joined_on=today,
        practice_started_on=today if kind in PRACTICING else None,  # R-STA-1 counts practice months from here
    )
    db.session.add(member)
    db.session.flush()
    member.member_number = member_number(db.session.get(Organization, local_association_id), today.year, member.id)
    if application_form:
        record_application(member, user_id, submitted_application(user_id, application_form))
    return member


def submitted_application(user_id: int, form_key: str) -> dict[str, Any]:
    """The applicant's latest answers on `form_key` in their running application (a return may have changed them)."""
    stmt = (
        select(AuditEvent.data)
        .join(ProcessInstance, ProcessInstance.id == AuditEvent.instance_id)
        .where(
            ProcessInstance.applicant_id == user_id,
            ProcessInstance.status == "running",
            AuditEvent.actor_id == user_id,
            AuditEvent.form_key == form_key,
            AuditEvent.data.is_not(None),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
    return db.session.scalar(stmt) or {}


def record_application(member: Member, user_id: int, application: dict[str, Any]) -> None:
    """What the applicant submitted becomes their record: an attachment slot named like a core filing (photo,
    signature, seal) is filed with its first image (R-INFO-1), and fields named like basic information are kept
    (R-INFO-2), so the personal center and the association's list do not start empty."""
    for kind in CORE_FILING_KINDS:
        files = application.get(kind) or []
        if files:
            db.session.add(
                CoreFiling(member_id=member.id, kind=kind, attachment_id=int(files[0]["id"]), filed_by_id=user_id)
            )
    for name in BASIC_INFO_FIELDS:
        if application.get(name):
            setattr(member, name, application[name])
    db.session.flush()


def end_custody_watch(member: Member) -> None:
    """The member leaves custody early (e.g. transfers into a firm): the year's watch ends without a warning.

    Sent after the engine run that moves the member (follow-up work), never from inside it (R-TRF-7)."""
    message_running(CUSTODY_WATCH, member.user_id, CUSTODY_ENDED)


def active_member(user: User) -> Member | None:
    return db.session.scalar(select(Member).where(Member.user_id == user.id, Member.status == "active"))
