"""The registration history, its orders and the applicant's step come in a stated order on PostgreSQL too, where rows
without an ORDER BY (or tied on their sort key) come back in heap order once rows have been deleted or updated."""

import uuid
from datetime import UTC, datetime, timedelta

from app.auctioneers.detail import registration_detail
from app.auctioneers.history import registration_history, registration_row
from app.extensions import db
from app.payments.models import PaymentOrder
from app.payments.services import list_orders
from app.workflow.models import HumanTask, ProcessInstance
from tests.auctioneers.test_registration_detail import submitted
from tests.heap import copy_row, in_either_heap_order, put_last_in_heap
from tests.processes.walk import open_task

AT = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
PAYER = {"payer_name": "付款人", "payer_email": "payer@example.com", "payer_mobile": "13800138000", "method": "alipay"}


def test_registrations_started_at_one_instant_are_listed_newest_first(world):
    """R-AUC-8's history table."""
    user, instance = submitted(world, "lapsed")
    db.session.commit()
    earlier = {"status": "approved", "created_at": AT, "exclusive_key": None}
    first = copy_row(ProcessInstance, instance.id, **earlier)
    second = copy_row(ProcessInstance, instance.id, **earlier)

    def check():
        assert [row.instance.id for row in registration_history(user)][-2:] == [second, first]

    in_either_heap_order(ProcessInstance, first, check)


def test_orders_made_at_one_instant_are_listed_newest_first(world):
    """R-AUC-6: the detail page's orders and 我的订单."""
    user, instance = submitted(world, "lapsed")
    orders = [
        PaymentOrder(
            order_no=f"T{n}",
            instance_id=instance.id,
            payer_user_id=user.id,
            purpose="拍卖师注册费",
            amount_fen=100,
            created_at=AT,
            expires_at=AT + timedelta(hours=2),
            **PAYER,
        )
        for n in (1, 2)
    ]
    db.session.add_all(orders)
    db.session.commit()
    first, second = (o.id for o in orders)

    def check():
        assert [o.id for o in registration_detail(user, instance.id).orders] == [second, first]
        assert [o.id for o in list_orders(user)] == [second, first]

    in_either_heap_order(PaymentOrder, first, check)


def test_the_applicants_step_on_the_row_is_their_first_open_one(world):
    user, instance = submitted(world, "lapsed")
    db.session.commit()
    first = open_task(instance).id
    copy_row(HumanTask, first, task_uuid=str(uuid.uuid4()), form_key="auctioneer_registration", due_at=AT)
    put_last_in_heap(HumanTask, first)

    row = registration_row(user, instance.id)

    assert row is not None and row.applicant_task is not None and row.applicant_task.id == first
