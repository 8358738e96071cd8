"""The association's records (issue 14 item 4): annual inspection rounds, dues per year, suspension and expulsion.

These services are the only writers of the member's current inspection state (member.annual_inspection) and
arrears (member.unpaid_dues), which the transfer, custody, pre-filing, certificate and status rules read; each
change is audited. A suspension in force refuses every business with its reason (suspension_reason)."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from app import clock
from app.accounts.models import User
from app.accounts.sessions import revoke_credentials
from app.admin.audit import record_admin_action
from app.errors import Conflict, Invalid, NotAllowed, NotFound
from app.extensions import db
from app.i18n import N_
from app.members.models import Member
from app.members.record_models import (
    INSPECTION_STATUSES,
    DuesRecord,
    InspectionResult,
    InspectionRound,
    MembershipSanction,
)
from app.organizations.models import Organization
from app.workflow.facts import Person, fact_provider

INSPECTION_LABELS = {
    "in_progress": N_("年检中"),
    "deferred": N_("暂缓"),
    "failed": N_("未通过"),
    "passed": N_("已通过"),
}


def records_scope(actor: User) -> set[int] | None:
    """Whose records `actor` keeps: None = every association (an administrator); otherwise the local associations
    the actor is staff of, who keep their own province's members only."""
    from app.accounts.rights import active_grants, acts_as_admin  # rights reads suspensions from here: no cycle

    if acts_as_admin(actor):
        return None
    ids = {g.organization_id for g in active_grants(actor) if g.role == "local_association"}
    if not ids:
        raise NotAllowed(_("仅系统管理员或地方协会工作人员可以管理会员档案"))
    return ids


def check_scope(actor: User | None, association_id: int | None) -> None:
    """A local association's staff act on their own association's members and rounds only (None: the system)."""
    scope = records_scope(actor) if actor is not None else None
    if scope is not None and association_id not in scope:
        raise NotAllowed(_("该会员不属于本协会，只能管理本协会的会员"))


def member_by_number(number: str, actor: User | None = None) -> Member:
    member = db.session.scalar(select(Member).where(Member.member_number == number.strip()))
    if member is None:
        raise NotFound(_("会员编号 %(number)s 不存在", number=number.strip()))
    check_scope(actor, member.local_association_id)
    return member


def open_inspection_round(actor: User, association_id: int, year: int) -> InspectionRound:
    """Every active member of the association is 年检中 from now until marked (R-TRF-2: no transfer meanwhile)."""
    association = db.session.get(Organization, association_id)
    if association is None or association.kind != "local_association":
        raise Invalid(_("请选择地方协会"), {"local_association_id": _("请选择地方协会")})
    check_scope(actor, association.id)
    if not 2000 <= year <= clock.today().year + 1:
        raise Invalid(_("年度不正确"), {"year": _("年度不正确")})
    round_ = InspectionRound(year=year, local_association_id=association.id, opened_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(round_)
            db.session.flush()
    except IntegrityError as err:
        raise Conflict(_("%(name)s %(year)d 年度的年检已开启", name=association.name, year=year)) from err
    members = select(Member.id).where(Member.local_association_id == association.id, Member.status == "active")
    db.session.execute(
        insert(InspectionResult).from_select(
            ["round_id", "member_id", "status"],
            select(literal(round_.id), Member.id, literal("in_progress")).where(Member.id.in_(members)),
        )
    )
    db.session.execute(update(Member).where(Member.id.in_(members)).values(annual_inspection="in_progress"))
    count = db.session.scalar(select(func.count()).where(InspectionResult.round_id == round_.id)) or 0
    details = {"association": association.name, "year": year, "members": count}
    record_admin_action(actor, "inspection.open", f"inspection_round:{round_.id}", details)
    return round_


def mark_inspection(actor: User, round_id: int, numbers: list[str], status: str, note: str = "") -> int:
    """Passed, deferred or failed for the listed members of the round; all listed or none (a report of unknowns)."""
    round_ = db.session.get(InspectionRound, round_id)
    if round_ is None:
        raise NotFound(_("年检不存在"))
    check_scope(actor, round_.local_association_id)
    if status not in INSPECTION_STATUSES or status == "in_progress":
        raise Invalid(_("请选择年检结果"), {"status": _("请选择年检结果")})
    wanted = sorted({n.strip() for n in numbers if n.strip()})
    if not wanted:
        raise Invalid(_("请填写会员编号"), {"numbers": _("请填写会员编号")})
    found = dict(
        db.session.execute(
            select(Member.member_number, InspectionResult.id)
            .join(InspectionResult, InspectionResult.member_id == Member.id)
            .where(InspectionResult.round_id == round_.id, Member.member_number.in_(wanted))
        ).all()
    )
    missing = [n for n in wanted if n not in found]
    if missing:
        message = _("以下会员编号不在本次年检中：%(numbers)s", numbers="、".join(missing[:20]))
        raise Invalid(message, {"numbers": message})
    set_inspection_results(actor, round_, {n: (status, note) for n in wanted})
    return len(wanted)


def set_inspection_results(actor: User, round_: InspectionRound, results: dict[str, tuple[str, str]]) -> None:
    """member number → (status, note), every number in the round: the result rows and the members' current state."""
    now = clock.now()
    ids = {
        number: (result_id, member_id)
        for number, result_id, member_id in db.session.execute(
            select(Member.member_number, InspectionResult.id, Member.id)
            .join(InspectionResult, InspectionResult.member_id == Member.id)
            .where(InspectionResult.round_id == round_.id, Member.member_number.in_(list(results)))
        )
    }
    rows = [
        {"id": ids[n][0], "status": s, "note": note or None, "decided_by_id": actor.id, "decided_at": now}
        for n, (s, note) in results.items()
    ]
    db.session.execute(update(InspectionResult), rows)
    db.session.execute(update(Member), [{"id": ids[n][1], "annual_inspection": s} for n, (s, _note) in results.items()])
    counts: dict[str, int] = {}
    for s, _note in results.values():
        counts[INSPECTION_LABELS[s]] = counts.get(INSPECTION_LABELS[s], 0) + 1
    details: dict[str, Any] = {"year": round_.year, **counts}
    if len(results) <= 20:
        details["members"] = "、".join(sorted(results))
    record_admin_action(actor, "inspection.mark", f"inspection_round:{round_.id}", details)


def record_dues(
    actor: User | None, member: Member, year: int, amount: int, paid: bool, paid_on: date | None = None
) -> None:
    """会费 of one year, paid or not (manual or import); the member's arrears are the unpaid years' sum."""
    check_scope(actor, member.local_association_id)
    if amount < 0 or not 1990 <= year <= clock.today().year + 1:
        raise Invalid(_("年度或金额不正确"), {"amount": _("年度或金额不正确")})
    row = db.session.scalar(select(DuesRecord).where(DuesRecord.member_id == member.id, DuesRecord.year == year))
    if row is None:
        row = DuesRecord(member_id=member.id, year=year, amount=amount)
        db.session.add(row)
    row.amount, row.paid, row.recorded_by_id = amount, paid, actor.id if actor else None
    row.paid_on = (paid_on or clock.today()) if paid else None
    db.session.flush()
    refresh_arrears([member.id])
    details = {"member": member.member_number, "year": year, "amount": amount, "paid": paid}
    record_admin_action(actor, "dues.record", f"member:{member.id}", details)


def refresh_arrears(member_ids: list[int]) -> None:
    """member.unpaid_dues = the sum of the member's unpaid years (R-STA-3, R-RES-4 read it)."""
    unpaid = (
        select(func.coalesce(func.sum(DuesRecord.amount), 0))
        .where(DuesRecord.member_id == Member.id, DuesRecord.paid.is_(False))
        .scalar_subquery()
    )
    db.session.execute(update(Member).where(Member.id.in_(member_ids)).values(unpaid_dues=unpaid))


def sanction_member(
    actor: User, member: Member, kind: str, reason: str, starts_on: date, ends_on: date | None = None
) -> MembershipSanction:
    """暂停会员资格 (until ends_on or lifted) or 除名 (the member leaves today: R-ACC-5, no rights from now)."""
    if kind not in ("suspension", "expulsion"):
        raise Invalid(_("请选择暂停会员资格或除名"), {"kind": _("请选择暂停会员资格或除名")})
    check_scope(actor, member.local_association_id)
    if not reason.strip():
        raise Invalid(_("请填写原因"), {"reason": _("请填写原因")})
    if ends_on is not None and ends_on < starts_on:
        raise Invalid(_("结束日期不能早于开始日期"), {"ends_on": _("结束日期不能早于开始日期")})
    if member.status != "active":
        raise Conflict(_("该会员已不是在册会员"))
    sanction = MembershipSanction(
        member_id=member.id,
        kind=kind,
        reason=reason.strip()[:200],
        starts_on=starts_on,
        ends_on=ends_on if kind == "suspension" else None,
        recorded_by_id=actor.id,
    )
    db.session.add(sanction)
    if kind == "expulsion":
        member.status, member.left_on = "expelled", starts_on
    db.session.flush()
    revoke_credentials(member.user_id)  # R-ACC-5: rights held in open sessions end now
    details = {"member": member.member_number, "reason": sanction.reason, "from": starts_on.isoformat()}
    if sanction.ends_on:
        details["until"] = sanction.ends_on.isoformat()
    record_admin_action(
        actor, f"member.{'suspend' if kind == 'suspension' else 'expel'}", f"member:{member.id}", details
    )
    return sanction


def lift_suspension(actor: User, sanction_id: int) -> None:
    sanction = db.session.get(MembershipSanction, sanction_id)
    if sanction is None or sanction.kind != "suspension" or sanction.lifted_on is not None:
        raise NotFound(_("该暂停记录不存在或已解除"))
    member = db.session.get(Member, sanction.member_id)
    check_scope(actor, member.local_association_id if member else None)
    sanction.lifted_on = clock.today()
    db.session.flush()
    record_admin_action(actor, "member.lift", f"member:{sanction.member_id}", {"reason": sanction.reason})


def in_force(user_id: Any, today: Any) -> tuple[ColumnElement[bool], ...]:
    """The conditions of a suspension in force on an active membership of `user_id` on `today` (values, bound
    parameters or a correlated column): one definition for the sanction read here and the standing that
    app/accounts/rights.py reads with every request's user."""
    return (
        Member.id == MembershipSanction.member_id,
        Member.user_id == user_id,
        Member.status == "active",
        MembershipSanction.kind == "suspension",
        MembershipSanction.lifted_on.is_(None),
        MembershipSanction.starts_on <= today,
        (MembershipSanction.ends_on.is_(None)) | (MembershipSanction.ends_on >= today),
    )


# any one in force, the same one each time: overlapping suspensions are rare, and each refuses with its own reason
_ANY_ONE = MembershipSanction.id


def suspension_in_force(user_id: int) -> MembershipSanction | None:
    stmt = select(MembershipSanction).where(*in_force(user_id, clock.today())).order_by(_ANY_ONE).limit(1)
    return db.session.scalar(stmt)


def _sanction_values(person: Person) -> dict[str, ColumnElement[Any]]:
    stmt = select(MembershipSanction.id).where(*in_force(person.id, person.today)).order_by(_ANY_ONE).limit(1)
    return {"suspension_id": stmt.scalar_subquery()}


@fact_provider(_sanction_values)
def sanction_facts(_user: User, values: Mapping[str, Any]) -> dict[str, Any]:
    """Read before every start rule (app/workflow/services.py check_eligibility): a suspension refuses them all."""
    sanction = db.session.get(MembershipSanction, values["suspension_id"]) if values["suspension_id"] else None
    return {"membership_suspended": suspension_text(sanction)}


def suspension_reason(user_id: int) -> str | None:
    """What every refused business says while a suspension is in force."""
    return suspension_text(suspension_in_force(user_id))


def suspension_text(sanction: MembershipSanction | None) -> str | None:
    if sanction is None:
        return None
    until = sanction.ends_on.isoformat() if sanction.ends_on else _("另行通知")
    return _(
        "您的会员资格已于 %(start)s 被暂停（原因：%(reason)s；暂停至 %(until)s），暂停期间不能办理此项业务",
        start=sanction.starts_on.isoformat(),
        reason=sanction.reason,
        until=until,
    )
