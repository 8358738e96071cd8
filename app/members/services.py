"""Membership: the facts about a person that joining rules read, transfers' context (admitting: admission.py)."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    bindparam,
    exists,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import QueryableAttribute

from app import clock
from app.accounts.models import User
from app.engine.scripting import operation
from app.engine.specs import catalog
from app.errors import Invalid, NotEligible
from app.extensions import db
from app.members.models import Member
from app.organizations.models import Organization
from app.workflow.facts import Person, fact_provider, running_application
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


def of_active_member(person: Person, column: QueryableAttribute[Any]) -> ColumnElement[Any]:
    """A column of the person's active membership (uq_member_one_active), NULL when there is none."""
    return select(column).where(Member.user_id == person.id, Member.status == "active").scalar_subquery()


def _membership_values(person: Person) -> dict[str, ColumnElement[Any]]:
    own = Member.user_id == person.id
    return {
        "is_member": exists().where(own, Member.status == "active"),
        "prior_practicing": exists().where(own, Member.kind.in_(PRACTICING), Member.joined_on < date(2023, 1, 1)),
        "last_resigned": select(func.max(Member.left_on))
        .where(own, Member.status == "resigned", Member.left_on.is_not(None))
        .scalar_subquery(),
        # the pattern written into the SQL: SQLite prepares a statement again at each run for a bound LIKE pattern
        "pending_join": running_application(person.id, ProcessInstance.process_id.like(literal_column("'join_%'"))),
    }


@fact_provider(_membership_values)
def membership_facts(_user: User, values: Mapping[str, Any]) -> dict[str, Any]:
    resigned = values["last_resigned"]
    blocked_until = one_year_after(resigned) if resigned else None  # R-RES-3
    return {
        "is_member": bool(values["is_member"]),
        "prior_practicing_before_2023": bool(values["prior_practicing"]),
        "rejoin_blocked_until": blocked_until.isoformat() if blocked_until and blocked_until > clock.today() else None,
        "has_pending_join": bool(values["pending_join"]),
    }


def _change_values(person: Person) -> dict[str, ColumnElement[Any]]:
    return {
        "kind": of_active_member(person, Member.kind),
        "annual_inspection": of_active_member(person, Member.annual_inspection),
        "is_shareholder": of_active_member(person, Member.is_shareholder),
        "in_custody": of_active_member(person, Member.in_custody),
        "pending_member_change": _member_change_running(person.id).scalar_subquery(),
    }


@fact_provider(_change_values)
def change_facts(user: User, values: Mapping[str, Any]) -> dict[str, Any]:
    """Facts for transfers and status changes (R-TRF-1..3, R-ONE-1), plus earlier uploads to prefill forms."""
    return {
        "is_practicing_member": values["kind"] in PRACTICING,
        "annual_inspection": values["annual_inspection"],
        "is_shareholder": bool(values["is_shareholder"]),
        "in_custody": bool(values["in_custody"]),
        "pending_member_change": _process_name(values["pending_member_change"]),
        **_earlier_uploads(user, ("archive_certificate", "social_security")),
    }


def pending_member_change(user: User) -> str | None:
    """The running application of the 'member_change' group, if any."""
    return _process_name(db.session.scalar(_member_change_running(user.id)))


def _member_change_running(user_id: Any) -> Select[str]:
    """The process id of the person's running application of the 'member_change' group (start event property
    exclusiveGroup), among the current processes when the statement runs."""
    grouped: BindParameter[list[str]] = bindparam(
        "member_change_processes", callable_=_member_change_processes, expanding=True
    )
    return (
        select(ProcessInstance.process_id)
        .where(
            ProcessInstance.applicant_id == user_id,
            ProcessInstance.status == "running",
            ProcessInstance.process_id.in_(grouped),
        )
        .limit(1)
    )


def _member_change_processes() -> list[str]:
    cat = catalog()
    return [pid for pid in cat.current if cat.process(pid).start_properties.get("exclusiveGroup") == "member_change"]


def _process_name(process_id: str | None) -> str | None:
    return catalog().process(process_id).name if process_id else None


# built once: every person's facts read it (the home page, each start, each submitted form with a ruled option)
_EARLIER_SUBMISSIONS = (
    select(AuditEvent.data)
    .where(AuditEvent.actor_id == bindparam("user_id"), AuditEvent.role == "applicant", AuditEvent.data.is_not(None))
    .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    .limit(20)
)


def _earlier_uploads(user: User, fields: tuple[str, ...]) -> dict[str, Any]:
    """R-TRF-5: documents the person already filed are offered again (editable) in a new application."""
    found: dict[str, Any] = {}
    # on the session's connection, flushed by person_facts' own read just before (issue 13: the ORM's step cost
    # more than the statement)
    events = db.session.connection().execute(_EARLIER_SUBMISSIONS, {"user_id": user.id}).scalars()
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


def end_custody_watch(member: Member) -> None:
    """The member leaves custody early (e.g. transfers into a firm): the year's watch ends without a warning.

    Sent after the engine run that moves the member (follow-up work), never from inside it (R-TRF-7)."""
    message_running(CUSTODY_WATCH, member.user_id, CUSTODY_ENDED)


def active_member(user: User) -> Member | None:
    return db.session.scalar(select(Member).where(Member.user_id == user.id, Member.status == "active"))
