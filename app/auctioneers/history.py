"""The yearly registration history (R-AUC-8): per registration year, the payment status and each level's state,
and the rounds of one application (each submission and what each level decided about it)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
APPLICATION_FORMS = ("auctioneer_first_registration", "auctioneer_registration")
PAYMENT_FORM = "auctioneer_payment"


@dataclass
class Decision:
    """One level's state in one round: approved / rejected with the reviewer's comment, pending, or none (ended)."""

    state: str
    comment: str | None = None
    who: str | None = None
    at: datetime | None = None

    @property
    def label(self) -> str:
        return {"approved": _("已通过"), "rejected": _("驳回"), "pending": _("待审核")}.get(self.state, "—")


@dataclass
class Round:
    """One submission of the application form and what each level did with it; `edited_at` when the applicant took
    it back to edit before every level had decided (R-AUC-8)."""

    submitted_at: datetime
    form_key: str
    data: dict[str, Any]
    decisions: dict[str, Decision] = field(default_factory=dict)
    edited_at: datetime | None = None

    @property
    def rejected(self) -> bool:
        return any(d.state == "rejected" for d in self.decisions.values())


@dataclass
class YearRow:
    instance: ProcessInstance
    year: int
    payment: str
    levels: dict[str, Decision]
    rounds: list[Round]
    applicant_task: HumanTask | None  # the applicant's open step: the application form, or paying
    can_pay: bool  # a payment step or an unpaid order is open: the row offers 付款
    can_edit: bool  # pending or rejected: the row offers 修改 (R-AUC-8)


def rounds_of(instance: ProcessInstance) -> list[Round]:
    """A round starts at each submission of the application form; reviews and edits after it belong to it."""
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.instance_id == instance.id).order_by(AuditEvent.at, AuditEvent.id)
    )
    rounds: list[Round] = []
    for e in events:
        if e.action == "submitted" and e.form_key in APPLICATION_FORMS:
            rounds.append(Round(e.at, e.form_key, dict(e.data or {})))
        elif rounds and e.role in dict(LEVELS) and e.action in ("approved", "rejected"):
            rounds[-1].decisions[e.role] = Decision(e.action, e.comment, e.actor_name, e.at)
        elif rounds and e.role == "applicant" and e.action == "withdrawn":
            rounds[-1].edited_at = e.at
    return rounds


def level_states(instance: ProcessInstance, last: Round | None) -> dict[str, Decision]:
    """The manual's three columns: the latest round's decisions; 待审核 while the application runs, else —."""
    decided = last.decisions if last else {}
    undecided = "pending" if instance.status == "running" else "none"
    return {role: decided.get(role) or Decision(undecided) for role, _label in LEVELS}


def payment_status(instance: ProcessInstance, rounds: list[Round]) -> str:
    """已付款 / 未付款 / 会员免缴 as the manual's 付费状态 column (R-AUC-5, R-AUC-6)."""
    orders = list(db.session.scalars(select(PaymentOrder).where(PaymentOrder.instance_id == instance.id)))
    if any(o.status == "paid" for o in orders):
        return _("已付款")
    tasks = list(db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id)))
    if any(o.status == "pending" for o in orders) or any(
        t.status == "open" and t.form_key == PAYMENT_FORM for t in tasks
    ):
        return _("未付款")
    if any(t.role in dict(LEVELS) for t in tasks):  # review only ever starts after payment or exemption
        return _("会员免缴")
    if orders:
        return _("未付款（订单已过期）")
    return _("未付款") if rounds else _("未提交")


def _row(instance: ProcessInstance) -> YearRow:
    rounds = rounds_of(instance)
    open_stmt = select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
    open_tasks = list(db.session.scalars(open_stmt.order_by(HumanTask.id)))
    mine = next((t for t in open_tasks if t.user_id == instance.applicant_id), None)
    pending_order = db.session.scalar(
        select(PaymentOrder.id).where(PaymentOrder.instance_id == instance.id, PaymentOrder.status == "pending")
    )
    return YearRow(
        instance=instance,
        year=registration_year(instance),
        payment=payment_status(instance, rounds),
        levels=level_states(instance, rounds[-1] if rounds else None),
        rounds=rounds,
        applicant_task=mine,
        can_pay=pending_order is not None or (mine is not None and mine.form_key == PAYMENT_FORM),
        can_edit="withdraw" in (instance.waiting_messages or [])
        or (mine is not None and mine.form_key in APPLICATION_FORMS),
    )


def registration_year(instance: ProcessInstance) -> int:
    """申请注册年度: always the year after the one the application was started in (R-AUC-1's operation says so)."""
    return clock.local_date(instance.created_at).year + 1


def registration_history(user: User) -> list[YearRow]:
    """Every auctioneer registration of this person, newest first, as the manual's history table."""
    stmt = (
        select(ProcessInstance)
        .where(ProcessInstance.applicant_id == user.id, ProcessInstance.process_id == PROCESS_ID)
        .order_by(ProcessInstance.created_at.desc(), ProcessInstance.id.desc())
    )
    return [_row(instance) for instance in db.session.scalars(stmt)]


def registration_row(user: User, instance_id: int) -> YearRow | None:
    """One of this person's registrations (None for anyone else's: the detail page answers 404)."""
    instance = db.session.get(ProcessInstance, instance_id)
    if instance is None or instance.applicant_id != user.id or instance.process_id != PROCESS_ID:
        return None
    return _row(instance)
