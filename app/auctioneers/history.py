"""The yearly registration history (R-AUC-8): per registration year, the payment status and each level's state."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app import clock
from app.accounts.models import User
from app.auctioneers.services import PROCESS_ID
from app.extensions import db
from app.i18n import N_
from app.payments.models import PaymentOrder
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance

LEVELS = (
    ("auction_firm", N_("拍卖企业")),
    ("provincial_auction_association", N_("省拍卖行业协会")),
    ("caa", N_("中拍协")),
)
_DECIDED = {"approved": "已通过", "rejected": "驳回"}


@dataclass
class Round:
    """One submission and what each level did with it (the detail page lists every round)."""

    submitted_at: object
    levels: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


@dataclass
class YearRow:
    instance: ProcessInstance
    year: int
    payment: str
    levels: dict[str, str]
    rounds: list[Round]


def payment_status(instance: ProcessInstance) -> str:
    orders = list(db.session.scalars(select(PaymentOrder).where(PaymentOrder.instance_id == instance.id)))
    if any(o.status == "paid" for o in orders):
        return _("已缴费")
    if orders:
        return _("待缴费") if any(o.status == "pending" for o in orders) else _("订单已过期，待重新支付")
    paying = db.session.scalar(
        select(HumanTask.id).where(
            HumanTask.instance_id == instance.id, HumanTask.status == "open", HumanTask.form_key == "auctioneer_payment"
        )
    )
    if paying:
        return _("待缴费")
    return _("会员免缴") if rounds_of(instance) else _("未提交")  # R-AUC-5: submitted and nothing was owed


def rounds_of(instance: ProcessInstance) -> list[Round]:
    """A round starts at each submission of the application form; reviews after it belong to it."""
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.instance_id == instance.id).order_by(AuditEvent.at, AuditEvent.id)
    )
    rounds: list[Round] = []
    for e in events:
        if (
            e.action == "submitted"
            and (e.form_key or "").startswith("auctioneer_")
            and e.form_key != "auctioneer_payment"
        ):
            rounds.append(Round(e.at))
        elif rounds and e.role in dict(LEVELS) and e.action in _DECIDED:
            rounds[-1].levels[e.role] = _DECIDED[e.action]
            if e.comment:
                rounds[-1].comments[e.role] = e.comment
    return rounds


def registration_history(user: User) -> list[YearRow]:
    """Every auctioneer registration of this person, newest first, as the manual's history table."""
    stmt = (
        select(ProcessInstance)
        .where(ProcessInstance.applicant_id == user.id, ProcessInstance.process_id == PROCESS_ID)
        .order_by(ProcessInstance.created_at.desc())
    )
    rows = []
    for instance in db.session.scalars(stmt):
        rounds = rounds_of(instance)
        levels = dict(rounds[-1].levels) if rounds else {}
        open_roles = set(
            db.session.scalars(
                select(HumanTask.role).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
            )
        )
        for role, _label in LEVELS:
            levels.setdefault(role, "待审核" if role in open_roles else "—")
        rows.append(
            YearRow(
                instance=instance,
                year=clock.local_date(instance.created_at).year + 1,  # always for the next year (申请注册年度)
                payment=payment_status(instance),
                levels=levels,
                rounds=rounds,
            )
        )
    return rows
