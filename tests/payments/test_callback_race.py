"""Ten identical callbacks at one moment record one payment and resume the process once (R-AUC-6).

The guarantee is the database's: the instance row lock (PostgreSQL) or the single writer (SQLite), and the
unique constraints on payment.order_id and (provider, transaction_id)."""

import threading

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.payments.models import Payment, PaymentOrder
from app.workflow.models import HumanTask


@pytest.fixture
def race_app(second_app):
    """A second app on a real database file (or the PostgreSQL test server): one connection per thread."""
    return second_app()


def _waiting_order(race_app):
    from tests.payments.paying import order_awaiting_payment, signed_callback

    with race_app.app_context():
        _user, instance, order = order_awaiting_payment()
        headers, body = signed_callback(order)
        db.session.commit()
        ids = (instance.id, order.id)
        db.session.remove()
    return ids, headers, body


def test_ten_concurrent_identical_callbacks_record_one_payment(race_app):
    (instance_id, order_id), headers, body = _waiting_order(race_app)
    clients = [race_app.test_client() for _ in range(10)]
    barrier, results = threading.Barrier(10), [None] * 10

    def worker(i):
        barrier.wait()
        r = clients[i].post("/payments/notify/dev", data=body, headers=headers, content_type="application/json")
        results[i] = (r.status_code, (r.json or {}).get("message"))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"\n10 concurrent identical callbacks -> {sorted(results)}")
    assert results.count((200, "paid")) == 1
    # the others were acknowledged as duplicates, or refused as a conflict for the provider to retry later
    assert all(r == (200, "duplicate") or r[0] == 409 for r in results if r != (200, "paid"))
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Payment)) == 1
        assert db.session.get(PaymentOrder, order_id).status == "paid"
        reviews = select(func.count()).where(HumanTask.instance_id == instance_id, HumanTask.role == "auction_firm")
        assert db.session.scalar(reviews) == 1  # the process resumed once
        db.session.remove()
