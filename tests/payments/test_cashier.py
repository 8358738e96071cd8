"""The development cashier (a stand-in provider's page), my orders, and the active query recovering a lost callback."""

import pytest

from app.extensions import db
from app.payments.models import Payment
from app.workflow import services
from tests.payments.paying import latest_order, pay
from tests.processes.walk import open_task

APPLICATION = {"sessions": 3, "main_item_type": "股权", "turnover_wan": 80, "consent_statement": []}


@pytest.fixture
def ordered(world, logged_in):
    def make(method):
        user = world.auction_users["practicing"]
        instance = services.start_process("auctioneer_registration", user)
        data = {**APPLICATION, "join_branch": True, "firm_id": world.auction["firm_bj"].id}
        services.submit_task(open_task(instance).id, user, data)
        order = pay(instance, user, deliver=False, method=method)
        db.session.commit()
        return instance, order, logged_in(user)

    return make


def test_wechat_shows_a_qr_code_and_paying_sends_the_signed_callback(ordered):
    instance, order, client = ordered("wechat")
    orders = client.get("/payments/orders").get_data(as_text=True)
    assert order.order_no in orders and "1000.00" in orders and "待支付" in orders
    cashier = client.post(f"/payments/orders/{order.order_no}/pay")
    assert cashier.headers["Location"].endswith(f"/dev/cashier/{order.order_no}")
    page = client.get(cashier.headers["Location"]).get_data(as_text=True)
    assert "支付二维码" in page and "中国资产评估协会" not in page
    assert client.get(f"/dev/cashier/{order.order_no}/qr.png").mimetype == "image/png"
    client.post(f"/dev/cashier/{order.order_no}")
    db.session.expire_all()
    assert latest_order(instance).status == "paid"
    assert open_task(instance).role == "auction_firm"


def test_online_banking_shows_the_bank_list(ordered):
    _instance, order, client = ordered("bank")
    page = client.get(f"/dev/cashier/{order.order_no}").get_data(as_text=True)
    assert "请选择银行" in page and "中国工商银行" in page


def test_a_lost_callback_is_recovered_by_the_active_query(ordered):
    """R-AUC-6: paid, but the notification never arrived: 查询支付结果 asks the provider and records the payment."""
    instance, order, client = ordered("alipay")
    client.post(f"/dev/cashier/{order.order_no}", data={"lose_callback": "1"})
    db.session.expire_all()
    assert latest_order(instance).status == "pending" and db.session.query(Payment).count() == 0
    client.post(f"/payments/orders/{order.order_no}/query")
    db.session.expire_all()
    assert latest_order(instance).status == "paid" and db.session.query(Payment).count() == 1
    assert open_task(instance).role == "auction_firm"


def test_another_persons_order_is_not_found(ordered, logged_in, world):
    _instance, order, _client = ordered("wechat")
    stranger = logged_in(world.applicant)
    assert stranger.get(f"/dev/cashier/{order.order_no}").status_code == 404
    assert stranger.post(f"/payments/orders/{order.order_no}/query").status_code == 404


def test_a_paid_order_has_its_receipt_and_the_receipts_summary(ordered):
    """R-AUC-6: the receipt (PDF, in the auction association's name) and 回执汇总 with the total."""
    import io

    from pypdf import PdfReader

    _instance, order, client = ordered("wechat")
    assert client.get(f"/payments/orders/{order.order_no}/receipt.pdf").status_code == 404  # not paid yet
    client.post(f"/dev/cashier/{order.order_no}")
    response = client.get(f"/payments/orders/{order.order_no}/receipt.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).replace("\x00", "")
    assert "中国拍卖行业协会 缴费回执" in text and order.order_no in text and "1000.00" in text
    summary = client.get("/payments/receipts").get_data(as_text=True)
    assert order.order_no in summary and "合计" in summary and "1000.00" in summary
