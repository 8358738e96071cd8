"""Status changes and resignation: the facts their rules read and the operations their final approval runs."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext
from sqlalchemy import ColumnElement, exists, func, select

from app import clock
from app.accounts.models import User
from app.accounts.sessions import revoke_credentials
from app.engine.scripting import operation
from app.errors import Invalid, NotEligible
from app.extensions import db
from app.members.admission import admit_person, association_admission
from app.members.exam_photo import exam_photo_fact, exam_photo_values
from app.members.models import MEMBER_KINDS, Member, Qualification
from app.members.services import of_active_member
from app.organizations.models import Organization
from app.organizations.services import national_association
from app.workflow.facts import Person, fact_provider

APPRAISER_QUALIFICATIONS = ("appraiser", "appraiser_jewelry")


def practice_months(started_on: date | None, today: date) -> int:
    """Whole months of practice from `started_on` to `today` (0 when not practising)."""
    if started_on is None:
        return 0
    months = (today.year - started_on.year) * 12 + today.month - started_on.month
    return max(months - (1 if today.day < started_on.day else 0), 0)


def _member(user: User) -> Member | None:
    return db.session.scalar(select(Member).where(Member.user_id == user.id, Member.status == "active"))


def _lifecycle_values(person: Person) -> dict[str, ColumnElement[Any]]:
    return {
        "kind": of_active_member(person, Member.kind),
        "practice_started_on": of_active_member(person, Member.practice_started_on),
        "has_qualification": exists().where(
            Qualification.user_id == person.id, Qualification.kind.in_(APPRAISER_QUALIFICATIONS)
        ),
        "unpaid_dues": select(func.coalesce(func.sum(Member.unpaid_dues), 0))
        .where(Member.user_id == person.id)
        .scalar_subquery(),
        **exam_photo_values(person),
    }


@fact_provider(_lifecycle_values)
def lifecycle_facts(_user: User, values: Mapping[str, Any]) -> dict[str, Any]:
    """Facts for status changes and resignation (R-STA-1..3, R-RES-1, R-RES-4)."""
    return {
        "member_kind": values["kind"],
        "practice_months": practice_months(values["practice_started_on"], clock.today()),
        "has_qualification": bool(values["has_qualification"]),
        "unpaid_dues": int(values["unpaid_dues"]),
        **exam_photo_fact(values),
    }


@operation("members/member_context")
def member_context(user_id: int) -> dict[str, Any]:
    """Who gives an opinion on and approves the member's change: firm (if any), local and national association."""
    user = db.session.get(User, user_id)
    member = _member(user) if user else None
    if member is None:
        raise NotEligible(gettext("您当前不是会员"))
    return {
        "member_id": member.id,
        "kind": member.kind,
        "firm_id": member.firm_id,
        # R-RES-2: no firm opinion for members in custody or non-practicing
        "has_firm": member.firm_id is not None and not member.in_custody and member.kind != "non_practicing",
        "local_association_id": member.local_association_id,
        "national_association_id": national_association().id,
    }


@operation("members/practicing_context")
def practicing_context(user_id: int, firm_id: int) -> dict[str, Any]:
    """R-STA-3: the chosen firm must be a filed firm of the member's own local association; it gives the opinion."""
    context = member_context(user_id)
    firm = db.session.get(Organization, firm_id)
    if firm is None or firm.kind != "firm" or not firm.filed:
        raise Invalid(gettext("请选择已备案的资产评估机构"), {"firm_id": "请选择已备案的资产评估机构"})
    if firm.local_association_id != context["local_association_id"]:
        message = "只能选择本地方协会的机构；跨省的，请先以非执业会员身份办理转会"
        raise Invalid(message, {"firm_id": message})
    return {**context, "firm_id": firm.id, "has_firm": True}


@operation("members/change_member_kind")
def change_member_kind(member_id: int, kind: str, firm_id: int | None = None) -> dict[str, Any]:
    """Final approval of a status change (R-STA-1..3): the new kind, and the firm when returning to practice."""
    member = db.session.get(Member, member_id)
    assert member is not None and kind in MEMBER_KINDS
    if kind == "non_practicing":  # R-STA-2: no firm, no practice
        member.firm_id, member.practice_started_on = None, None
    elif member.kind == "non_practicing":  # R-STA-3: back to practice at the chosen firm
        firm = db.session.get(Organization, firm_id)
        assert firm is not None and firm.local_association_id is not None
        member.firm_id, member.local_association_id = firm.id, firm.local_association_id
        member.in_custody, member.practice_started_on = False, clock.today()
    member.kind = kind
    return {"kind": kind, "kind_label": MEMBER_KINDS[kind]}


@operation("members/resign_member")
def resign_member(member_id: int) -> dict[str, Any]:
    """Final approval of a resignation (R-RES-3): the member leaves today; rejoining waits a year."""
    member = db.session.get(Member, member_id)
    assert member is not None
    member.status, member.left_on = "resigned", clock.today()
    revoke_credentials(member.user_id)  # R-ACC-5: the rights held in open sessions end now
    return {"left_on": member.left_on.isoformat()}


@operation("members/association_context")
def association_context(local_association_id: int) -> dict[str, Any]:
    """R-JOIN-4: the chosen local association approves first, then the national association."""
    association = db.session.get(Organization, local_association_id)
    if association is None or association.kind != "local_association":
        raise Invalid(gettext("请选择地方协会"), {"local_association_id": "请选择地方协会"})
    return {"local_association_id": association.id, "national_association_id": national_association().id}


@operation("members/admit_non_practicing")
def admit_non_practicing(
    user_id: int, local_association_id: int, application_form: str | None = None
) -> dict[str, Any]:
    """Final approval of a non-practicing application: a member of the association, in no firm (R-JOIN-4)."""
    society_id, application = association_admission(user_id, local_association_id, application_form)
    member = admit_person(user_id, "non_practicing", local_association_id, application, society_id=society_id)
    return {"member_id": member.id, "member_number": member.member_number}
