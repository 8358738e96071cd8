"""Orders for a process's fee, the provider's signed notification recorded once, and the process told it was paid."""

import secrets
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import clock
from app.accounts.models import User
from app.engine.scripting import operation
from app.errors import Conflict, NotAllowed, NotFound
from app.extensions import db
from app.payments.gateway import BadNotification, Checkout, Notification, gateway, gateway_for
from app.payments.models import METHODS, Payment, PaymentOrder
from app.workflow.models import ProcessInstance
from app.workflow.steps import lock_instance

PAID_MESSAGE = "payment_received"  # the BPMN's receive task waits for this message


@operation("payments/open_order")
def open_order(
    user_id: int,
    process_id: str,
    amount_fen: int,
    purpose: str,
    method: str,
    payer_name: str,
    payer_email: str,
    payer_mobile: str,
) -> dict[str, Any]:
    """R-AUC-6: an order for the applicant's running application of `process_id` (one at a time by its start rule)."""
    instance = db.session.scalar(
        select(ProcessInstance).where(
            ProcessInstance.applicant_id == user_id,
            ProcessInstance.process_id == process_id,
            ProcessInstance.status == "running",
        )
    )
    if instance is None:
        raise NotFound(gettext("未找到需要缴费的申请"))
    if method not in METHODS:
        raise NotAllowed(gettext("请选择支付方式"))
    minutes = int(current_app.config["MEMBERFLOW_PAYMENT_EXPIRY_MINUTES"])
    now = clock.now()
    order = PaymentOrder(
        order_no=f"MF{now:%Y%m%d}{secrets.token_hex(6).upper()}",
        instance_id=instance.id,
        payer_user_id=user_id,
        purpose=purpose,
        amount_fen=amount_fen,
        currency="CNY",
        method=method,
        payer_name=payer_name,
        payer_email=payer_email,
        payer_mobile=payer_mobile,
        status="pending",
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    db.session.add(order)
    db.session.flush()
    return {"order_no": order.order_no, "amount_fen": amount_fen, "expires_minutes": minutes}


@operation("payments/expire_order")
def expire_order(order_no: str) -> dict[str, Any]:
    """The BPMN's expiry timer fired: an unpaid order can no longer be paid; the applicant pays again (new order)."""
    order = db.session.scalar(select(PaymentOrder).where(PaymentOrder.order_no == order_no).with_for_update())
    if order is not None and order.status == "pending":
        order.status = "expired"
        db.session.flush()
    return {"order_no": order_no, "status": order.status if order else "missing"}


def receive_notification(provider: str, headers: dict[str, str], body: bytes) -> str:
    """A provider's callback: verified, checked against the order, recorded once, then the process resumes.

    Returns "paid" or "duplicate" (already recorded: the same notification again changes nothing). A bad
    signature, an unknown order, a wrong amount or currency, or an expired order raise before anything changes.
    """
    note = gateway(provider).verify(headers, body)
    return record_payment(provider, note)


def record_payment(provider: str, note: Notification) -> str:
    order = db.session.scalar(select(PaymentOrder).where(PaymentOrder.order_no == note.order_no))
    if order is None:
        raise BadNotification(gettext("订单不存在"))
    # lock order as every engine run does: the instance first, then its order (the expiry timer holds the same)
    lock_instance(order.instance_id)
    order = db.session.scalar(select(PaymentOrder).where(PaymentOrder.id == order.id).with_for_update())
    assert order is not None
    if (note.amount_fen, note.currency) != (order.amount_fen, order.currency):
        raise BadNotification(gettext("通知金额或币种与订单不符"))
    if order.status == "paid":
        return "duplicate"
    if order.status == "expired" or clock.now() > order.expires_at:
        raise BadNotification(gettext("订单已过期，请重新下单支付"))
    try:
        with db.session.begin_nested():
            db.session.add(
                Payment(
                    order_id=order.id,
                    provider=provider,
                    transaction_id=note.transaction_id,
                    amount_fen=note.amount_fen,
                    currency=note.currency,
                    paid_at=note.paid_at,
                    recorded_at=clock.now(),
                    notification=note.body,
                )
            )
    except IntegrityError:
        return "duplicate"  # the unique constraints saw the same payment first (order or provider transaction)
    order.status, order.paid_at = "paid", note.paid_at
    db.session.flush()
    from app.workflow.system import send_system_message

    send_system_message(order.instance_id, PAID_MESSAGE)
    return "paid"


def query_order(user: User, order_no: str) -> str:
    """Active query (查询支付结果): asks the provider and records what it says, recovering a lost callback."""
    order = my_order(user, order_no)
    if order.status != "pending":
        return order.status
    provider = gateway_for(order)
    note = provider.query(order)
    if note is None:
        return "pending"
    if note.order_no != order.order_no:
        raise BadNotification("查询结果与订单不符")
    return record_payment(provider.name, note)


def my_order(user: User, order_no: str) -> PaymentOrder:
    order = db.session.scalar(select(PaymentOrder).where(PaymentOrder.order_no == order_no))
    if order is None or order.payer_user_id != user.id:
        raise NotFound(gettext("订单不存在"))
    return order


def list_orders(user: User) -> list[PaymentOrder]:
    stmt = (
        select(PaymentOrder)
        .where(PaymentOrder.payer_user_id == user.id)
        .order_by(PaymentOrder.created_at.desc(), PaymentOrder.id.desc())
    )
    return list(db.session.scalars(stmt.limit(200)))


def pending_orders(instance_id: int) -> list[PaymentOrder]:
    """An application's orders awaiting payment (payments/_pending_orders.html shows them with 去支付)."""
    stmt = select(PaymentOrder).where(PaymentOrder.instance_id == instance_id, PaymentOrder.status == "pending")
    return list(db.session.scalars(stmt.order_by(PaymentOrder.id)))


def unpayable_reason(order: PaymentOrder) -> str | None:
    """Why an order can no longer be paid (a provider takes no payment past time_expire), or None."""
    if order.status == "paid":
        return gettext("该订单已支付，无需再次支付")
    if order.status == "expired" or clock.now() > order.expires_at:
        return gettext("该订单已过期，请在“缴费”中重新下单支付")
    return None


def checkout(user: User, order_no: str) -> Checkout:
    order = my_order(user, order_no)
    reason = unpayable_reason(order)
    if reason:
        raise Conflict(reason)
    return gateway_for(order).checkout(order)
