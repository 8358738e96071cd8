"""The development cashier's callback over real HTTP: a background POST to the notify URL of a running server,
as `scripts/run` does it (MEMBERFLOW_DEV_PAYMENT_DELIVERY=http), not the tests' in-process shortcut."""

import threading

import pytest

from app.extensions import db
from app.payments.models import PaymentOrder
from tests.live import serving


@pytest.fixture
def live_app(second_app):
    """A second app on a real database (file or the PostgreSQL test server) served on a free local port."""
    other = second_app("live", MEMBERFLOW_DEV_PAYMENT_DELIVERY="http")
    notified = threading.Event()
    wsgi = other.wsgi_app

    def signalling(environ, start_response):  # lets the test wait for the callback without sleeping
        try:
            return wsgi(environ, start_response)
        finally:
            if environ["PATH_INFO"].startswith("/payments/notify/"):
                notified.set()

    other.wsgi_app = signalling
    with serving(other):
        yield other, notified


def test_paying_on_the_cashier_sends_the_signed_callback_over_http(live_app):
    other, notified = live_app
    from app.demo import DEMO_PASSWORD
    from tests.payments.paying import order_awaiting_payment

    with other.app_context():
        user, _instance, order = order_awaiting_payment()
        db.session.commit()
        mobile, order_no, order_id = user.mobile, order.order_no, order.id
        db.session.remove()
    client = other.test_client()
    assert client.post("/login", data={"mobile": mobile, "password": DEMO_PASSWORD}).status_code == 302
    assert client.post(f"/dev/cashier/{order_no}").status_code == 302
    assert notified.wait(timeout=30), "the stand-in provider's callback never arrived"
    with other.app_context():
        assert db.session.get(PaymentOrder, order_id).status == "paid"
        db.session.remove()
