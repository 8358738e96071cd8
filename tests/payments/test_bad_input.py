"""Bad input a payer or applicant can produce through the pages, each refused clearly with nothing paid twice:
paying an expired or already paid order on the cashier, 去支付 on an expired order, an absurd turnover and a firm
in preparation without its consent statement (R-AUC-3, R-AUC-4, R-AUC-6)."""

import re
from datetime import timedelta

import pytest

from app import clock
from app.extensions import db
from app.payments.models import DevProviderPayment, Payment
from app.workflow import services
from tests.payments.paying import latest_order, pay
from tests.processes.walk import open_task

APPLICATION = {"sessions": 3, "main_item_type": "股权", "turnover_wan": 80, "consent_statement": []}


@pytest.fixture
def ordered(world, logged_in):
    user = world.auction_users["practicing"]
    instance = services.start_process("auctioneer_registration", user)
    data = {**APPLICATION, "join_branch": False, "firm_id": world.auction["firm_bj"].id}
    services.submit_task(open_task(instance).id, user, data)
    order = pay(instance, user, deliver=False)
    db.session.commit()
    return instance, order, logged_in(user)


def flashes(client, response):
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    return re.findall(r'class="flash[^"]*"[^>]*>([^<]+)<', html)


def test_the_cashier_refuses_an_expired_order_and_takes_no_money(ordered):
    """R-AUC-6: past its expiry (before the timer even ran) the provider takes no payment for it; told why."""
    instance, order, client = ordered
    clock.advance(timedelta(minutes=121))
    assert "已过期" in client.get(f"/dev/cashier/{order.order_no}").get_data(as_text=True)
    response = client.post(f"/dev/cashier/{order.order_no}")
    assert response.status_code == 302
    assert any("已过期" in f for f in flashes(client, response))
    db.session.expire_all()
    assert db.session.query(DevProviderPayment).count() == 0 and db.session.query(Payment).count() == 0
    assert latest_order(instance).status == "pending"  # the timer marks it expired; nothing was paid


def test_paying_a_paid_order_again_on_the_cashier_is_refused(ordered):
    """Two clicks (or two tabs) on 模拟扫码支付成功: one payment, the second told the order is paid."""
    instance, order, client = ordered
    client.post(f"/dev/cashier/{order.order_no}")
    response = client.post(f"/dev/cashier/{order.order_no}")
    assert response.status_code == 302
    assert any("已支付" in f for f in flashes(client, response))
    db.session.expire_all()
    assert db.session.query(DevProviderPayment).count() == 1 and db.session.query(Payment).count() == 1
    assert latest_order(instance).status == "paid"


def test_going_to_pay_an_expired_order_is_refused_clearly(ordered):
    _instance, order, client = ordered
    clock.advance(timedelta(minutes=121))
    response = client.post(f"/payments/orders/{order.order_no}/pay")
    assert response.status_code == 409 and "已过期" in response.get_data(as_text=True)


@pytest.mark.parametrize("turnover", ["-5", "100000001", "1e400", "abc"])
def test_an_absurd_turnover_is_refused_on_the_form(world, logged_in, turnover):
    """R-AUC-3: the form says what is wrong and keeps the application at the form; nothing is ordered."""
    user = world.auction_users["practicing"]
    instance = services.start_process("auctioneer_registration", user)
    db.session.commit()
    task = open_task(instance)
    fields = {"firm_id": str(world.auction["firm_bj"].id), "sessions": "3", "main_item_type": "股权"}
    response = logged_in(user).post(f"/tasks/{task.id}", data={**fields, "turnover_wan": turnover, "action": "submit"})
    assert response.status_code == 422
    assert "成交额" in response.get_data(as_text=True)
    assert open_task(instance).id == task.id


def test_a_firm_in_preparation_without_the_consent_statement_is_told_on_the_form(world, logged_in):
    """R-AUC-4 through the page: the missing proof is named at its field, and the application stays at the form."""
    user = world.auction_users["practicing"]
    instance = services.start_process("auctioneer_registration", user)
    db.session.commit()
    task = open_task(instance)
    fields = {"firm_id": str(world.auction["firm_prep"].id), "sessions": "3", "main_item_type": "股权"}
    response = logged_in(user).post(f"/tasks/{task.id}", data={**fields, "turnover_wan": "80", "action": "submit"})
    assert response.status_code == 422
    assert "同意拍卖师注册说明" in response.get_data(as_text=True)
    assert open_task(instance).id == task.id
