"""The payment provider's callback (R-AUC-6): verified signature, checked order, recorded once, process resumed.

Every refusal leaves the order pending, no payment row and the process still waiting for its payment."""

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app import clock
from app.extensions import db
from app.payments.gateway import dev_sign, notification_body
from app.payments.models import Payment
from app.workflow import services
from app.workflow.timers import fire_instance_timers
from tests.payments.paying import latest_order, pay, sign_raw, signed_callback
from tests.processes.walk import open_task

APPLICATION = {
    "sessions": 3,
    "main_item_type": "艺术品",
    "turnover_wan": 120,
    "consent_statement": [],
    "join_branch": False,
}


@pytest.fixture
def waiting(world):
    """An application submitted and an order opened, the process waiting for the payment."""
    user = world.auction_users["practicing"]
    instance = services.start_process("auctioneer_registration", user)
    services.submit_task(open_task(instance).id, user, {**APPLICATION, "firm_id": world.auction["firm_bj"].id})
    db.session.commit()
    order = pay(instance, user, deliver=False)
    db.session.commit()
    return instance, order


def post(client, headers, body):
    return client.post("/payments/notify/dev", data=body, headers=headers, content_type="application/json")


def assert_nothing_changed(instance, order):
    db.session.expire_all()
    assert latest_order(instance).status == "pending"
    assert db.session.query(Payment).count() == 0
    assert instance.waiting_messages == ["payment_received"]


def test_a_signed_callback_pays_the_order_and_review_starts(client, waiting):
    instance, order = waiting
    response = post(client, *signed_callback(order))
    assert (response.status_code, response.json["code"]) == (200, "SUCCESS")
    db.session.expire_all()
    assert latest_order(instance).status == "paid"
    assert open_task(instance).role == "auction_firm"  # R-AUC-6: review only after payment


def test_the_same_notification_twice_is_one_payment(client, waiting):
    """A provider repeats a notification until it hears SUCCESS: the replay is acknowledged and changes nothing."""
    instance, order = waiting
    headers, body = signed_callback(order)
    assert post(client, headers, body).json["message"] == "paid"
    again = post(client, headers, body)
    assert (again.status_code, again.json["message"]) == (200, "duplicate")
    assert db.session.query(Payment).count() == 1


@pytest.mark.parametrize(
    ("forge", "message"),
    [
        ("other_key", "签名验证失败"),
        ("tampered_body", "签名验证失败"),
        ("no_signature", "缺少签名"),
        ("stale", "时间戳超出有效期"),  # a captured callback replayed later
    ],
)
def test_a_bad_signature_is_refused_and_nothing_changes(client, waiting, forge, message):
    instance, order = waiting
    body = notification_body(order.order_no, "DEVFORGED", order.amount_fen, clock.now())
    if forge == "other_key":
        headers, raw = dev_sign(body, Ed25519PrivateKey.generate())
    elif forge == "tampered_body":
        headers, raw = dev_sign(body)
        raw = raw.replace(b'"DEVFORGED"', b'"DEVFORGEX"')
    elif forge == "no_signature":
        headers, raw = {}, dev_sign(body)[1]
    else:
        clock.advance(timedelta(minutes=-10))
        headers, raw = dev_sign(body)
        clock.advance(timedelta(minutes=10))
    response = post(client, headers, raw)
    assert (response.status_code, response.json["code"]) == (400, "FAIL")
    assert message in response.json["message"]
    assert_nothing_changed(instance, order)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount_fen": 1}, "金额或币种"),
        ({"currency": "USD"}, "金额或币种"),
        ({"order_no": "MF-UNKNOWN"}, "订单不存在"),
    ],
)
def test_a_correctly_signed_wrong_amount_currency_or_order_is_refused(client, waiting, changes, message):
    instance, order = waiting
    response = post(client, *signed_callback(order, **changes))
    assert response.status_code == 400 and message in response.json["message"]
    assert_nothing_changed(instance, order)


def test_an_unpaid_order_expires_by_the_timer_and_can_be_paid_again(client, waiting, world):
    """R-AUC-6: the BPMN's timer expires the order; its late callback is refused; a new order pays."""
    instance, order = waiting
    clock.advance(timedelta(minutes=121))
    assert fire_instance_timers(instance.id)
    db.session.commit()
    db.session.expire_all()
    assert latest_order(instance).status == "expired"
    task = open_task(instance)
    assert task.form_key == "auctioneer_payment"  # pay again
    late = post(client, *signed_callback(order))
    assert late.status_code == 400 and "过期" in late.json["message"]
    assert db.session.query(Payment).count() == 0
    new_order = pay(instance, world.auction_users["practicing"], deliver=False)
    assert new_order.order_no != order.order_no
    assert post(client, *signed_callback(new_order)).json["message"] == "paid"
    assert open_task(instance).role == "auction_firm"


def test_past_its_expiry_an_order_is_refused_even_before_the_timer_ran(client, waiting):
    instance, order = waiting
    clock.advance(timedelta(minutes=121))
    response = post(client, *signed_callback(order))
    assert response.status_code == 400 and "过期" in response.json["message"]
    assert_nothing_changed(instance, order)


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        ("huge_timestamp", "时间戳超出有效期"),
        ("long_transaction", "格式错误"),
        ("naive_paid_at", "格式错误"),
        ("not_json", "格式错误"),
    ],
)
def test_malformed_signed_notifications_are_refused_cleanly(client, waiting, mangle, message):
    """Signed, but absurd: refused with 400 and nothing changed, never a server error."""
    instance, order = waiting
    body = notification_body(order.order_no, "DEVOK", order.amount_fen, clock.now())
    if mangle == "huge_timestamp":
        headers, raw = sign_raw(dev_sign(body)[1], timestamp="9" * 30)
    elif mangle == "long_transaction":
        headers, raw = dev_sign({**body, "transaction_id": "T" * 100})
    elif mangle == "naive_paid_at":
        headers, raw = dev_sign({**body, "paid_at": "2026-12-04T10:00:00"})
    else:
        headers, raw = sign_raw(b"not json")
    response = post(client, headers, raw)
    assert response.status_code == 400 and message in response.json["message"]
    assert_nothing_changed(instance, order)
