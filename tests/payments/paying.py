"""Paying an application's fee in tests as the development provider would: order, then its signed callback."""

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.payments.gateway import dev_sign, notification_body
from app.payments.models import PaymentOrder
from app.payments.services import receive_notification
from app.workflow import services
from tests.processes.walk import open_task

PAYER = {"payer_name": "付款人", "payer_email": "payer@example.com", "payer_mobile": "13800138000"}


def latest_order(instance) -> PaymentOrder:
    db.session.expire_all()
    stmt = select(PaymentOrder).where(PaymentOrder.instance_id == instance.id).order_by(PaymentOrder.id.desc())
    return db.session.scalars(stmt).first()


def signed_callback(order, **changes):
    """The stand-in provider's notification for `order` (fields overridable to forge a wrong one)."""
    body = {**notification_body(order.order_no, f"DEV{order.id:08d}", order.amount_fen, clock.now()), **changes}
    return dev_sign(body)


def sign_raw(raw: bytes, timestamp: str | None = None):
    """Any bytes signed with the stand-in provider's key, as a provider sending garbage would."""
    import base64
    import secrets

    from app.payments.gateway import HEADERS, _dev_private_key, signed_message

    timestamp, nonce = timestamp or str(int(clock.now().timestamp())), secrets.token_hex(8)
    signature = base64.b64encode(_dev_private_key().sign(signed_message(timestamp, nonce, raw))).decode()
    return dict(zip(HEADERS, (timestamp, nonce, signature), strict=True)), raw


def pay(instance, user, deliver=True, method="wechat") -> PaymentOrder:
    """R-AUC-6: the applicant names method and payer; the provider's signed callback confirms the payment."""
    services.submit_task(open_task(instance).id, user, {**PAYER, "method": method})
    order = latest_order(instance)
    if deliver:
        assert receive_notification("dev", *signed_callback(order)) == "paid"
        db.session.expire_all()
    return order


def order_awaiting_payment():
    """The demo world, with 冯拍卖's registration (注册) submitted and its fee order open but not yet paid."""
    from app.demo import load_demo

    world = load_demo()
    user = world.auction_users["practicing"]
    instance = services.start_process("auctioneer_registration", user)
    data = {"sessions": 1, "main_item_type": "其他", "turnover_wan": 1, "consent_statement": [], "join_branch": False}
    services.submit_task(open_task(instance).id, user, {**data, "firm_id": world.auction["firm_bj"].id})
    return user, instance, pay(instance, user, deliver=False)
