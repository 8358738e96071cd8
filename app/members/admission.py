"""Admitting a member: the final approval of a joining application writes the member row, numbered in its
association's series, and files the application's core filings (R-JOIN-3, R-INFO-1, R-INFO-2)."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import aliased

from app import clock
from app.accounts.rights import forget_standing
from app.engine.scripting import operation
from app.extensions import db
from app.members.models import BASIC_INFO_FIELDS, CORE_FILING_KINDS, MEMBER_KINDS, CoreFiling, Member
from app.members.services import PRACTICING
from app.organizations.models import Organization
from app.organizations.societies import society_member_number
from app.workflow.facts import forget_facts
from app.workflow.models import AuditEvent, ProcessInstance

# built once (issue 13: building them cost about as much as running them, on every final approval)
_ASSOCIATION = aliased(Organization)
_SUBMITTED = (
    select(AuditEvent.data)
    .join(ProcessInstance, ProcessInstance.id == AuditEvent.instance_id)
    .where(
        ProcessInstance.applicant_id == bindparam("user_id"),
        ProcessInstance.status == "running",
        AuditEvent.actor_id == bindparam("user_id"),
        AuditEvent.form_key == bindparam("form_key"),
        AuditEvent.data.is_not(None),
    )
    .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    .limit(1)
)
# a firm's local association, the association (society) whose number series numbers its members, and the
# applicant's latest answers on the application form: one statement (issue 13: it was two on every admission)
_FIRM_ADMISSION = select(
    select(Organization.local_association_id).where(Organization.id == bindparam("firm_id")).scalar_subquery(),
    select(_ASSOCIATION.society_id)
    .join(Organization, _ASSOCIATION.id == Organization.local_association_id)
    .where(Organization.id == bindparam("firm_id"))
    .scalar_subquery(),
    _SUBMITTED.scalar_subquery(),
)
# the same for an association's member (no firm: the non-practicing admission), one statement
_ASSOCIATION_ADMISSION = select(
    select(Organization.society_id).where(Organization.id == bindparam("association_id")).scalar_subquery(),
    _SUBMITTED.scalar_subquery(),
)
_INSERT_MEMBER = insert(Member)
_NUMBER_MEMBER = update(Member).where(Member.id == bindparam("member_id")).values(member_number=bindparam("number"))
_INSERT_FILINGS = insert(CoreFiling)


@dataclass(frozen=True)
class Admitted:
    """The member row an admission wrote."""

    id: int
    member_number: str


@operation("members/admit_member")
def admit_member(user_id: int, firm_id: int, kind: str, application_form: str | None = None) -> dict[str, Any]:
    """Final approval of a joining application: the person becomes a member of the firm (R-JOIN-3)."""
    # on the session's connection: the firm and the answers were written by earlier requests, nothing pending here
    params = {"firm_id": firm_id, "user_id": user_id, "form_key": application_form}
    local_association_id, society_id, application = db.session.connection().execute(_FIRM_ADMISSION, params).one()
    if local_association_id is None:
        raise NoResultFound(f"no firm {firm_id} with a local association")
    member = admit_person(
        user_id, kind, local_association_id, application or {}, firm_id=firm_id, society_id=society_id
    )
    return {
        "member_id": member.id,
        "member_number": member.member_number,
        "kind": kind,
        "kind_label": MEMBER_KINDS[kind],
    }


def admit_person(
    user_id: int,
    kind: str,
    local_association_id: int,
    application: dict[str, Any],
    firm_id: int | None = None,
    *,
    society_id: int | None,
) -> Admitted:
    """A new member record dated the association's today, numbered by that year in the series of its association
    (`society_id`, the association's organization.society_id), filled from the `application` (the applicant's
    latest answers on the application form): fields named like basic information are kept (R-INFO-2), so the
    personal center and the association's list do not start empty, and its core filings are filed (R-INFO-1).

    Written by Core statements on the session's connection (issue 13: the session's unit of work cost more than
    the writes; nobody in the request reads the row back as an object). They are part of the engine run's
    savepoint all the same; the caches that a membership change invalidates are dropped here."""
    today = clock.today()
    session = db.session()
    connection = session.connection()
    values = {
        "user_id": user_id,
        "member_number": "",
        "kind": kind,
        "firm_id": firm_id,
        "local_association_id": local_association_id,
        "joined_on": today,
        "practice_started_on": today if kind in PRACTICING else None,  # R-STA-1 counts practice months from here
        **{name: application[name] for name in BASIC_INFO_FIELDS if application.get(name)},
    }
    key = connection.execute(_INSERT_MEMBER, values).inserted_primary_key
    assert key is not None
    member_id = int(key[0])  # its id is the number's serial
    number = society_member_number(society_id, today.year, member_id)
    connection.execute(_NUMBER_MEMBER, {"member_id": member_id, "number": number})
    file_application(member_id, user_id, application)
    forget_facts(session)  # the person is a member now (R-ONE-1, the joining rules)
    forget_standing(session)
    return Admitted(member_id, number)


def association_admission(
    user_id: int, association_id: int, application_form: str | None
) -> tuple[int | None, dict[str, Any]]:
    """The association's society (None: it has none) and the applicant's latest answers on `application_form` in
    their running application (a return may have changed them; {}: none), as admit_person takes them."""
    params = {"association_id": association_id, "user_id": user_id, "form_key": application_form}
    society_id, application = db.session.connection().execute(_ASSOCIATION_ADMISSION, params).one()
    return society_id, application or {}


def file_application(member_id: int, user_id: int, application: dict[str, Any]) -> None:
    """An attachment slot of the application named like a core filing (photo, signature, seal) is filed with its
    first image (R-INFO-1): every filing in one statement."""
    filings = [
        {"member_id": member_id, "kind": kind, "attachment_id": int(files[0]["id"]), "filed_by_id": user_id}
        for kind in CORE_FILING_KINDS
        if (files := application.get(kind) or [])
    ]
    if filings:
        db.session.connection().execute(_INSERT_FILINGS, filings)
