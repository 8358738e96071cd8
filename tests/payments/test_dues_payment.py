"""Dues paid online (issue 14 item 4; R-STA-3, R-RES-4): the arrears the association recorded become an order of the
payments module; the provider's signed callback, posted to the production notify URL, marks the years paid and the
cached arrears the rules read drop to zero."""

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.admin.models import AdminAuditEntry
from app.extensions import db
from app.members import records
from app.members.models import Member
from app.members.record_models import DuesRecord
from app.workflow import services
from app.workflow.timers import fire_instance_timers
from tests.payments.paying import PAYER, latest_order, signed_callback
from tests.processes.walk import open_task, person

WANG = "13800000003"


def arrears(world, mobile=WANG):
    user = person(mobile)
    member = db.session.scalar(select(Member).where(Member.user_id == user.id))
    records.record_dues(world.admin, member, 2024, 600, True)
    records.record_dues(world.admin, member, 2025, 800, False)
    records.record_dues(world.admin, member, 2026, 800, False)
    db.session.commit()
    return user, member


def notify(client, order, **changes):
    headers, body = signed_callback(order, **changes)
    return client.post("/payments/notify/dev", data=body, headers=headers, content_type="application/json")


def ordered(user):
    instance = services.start_process("dues_payment", user)
    services.submit_task(open_task(instance).id, user, {**PAYER, "method": "wechat"})
    db.session.commit()
    return instance, latest_order(instance)


def test_arrears_paid_through_the_signed_callback_mark_the_years_paid(app, client, world, logged_in):
    user, member = arrears(world)
    assert services.check_eligibility("dues_payment", user)[0]["unpaid_dues"] == 1600
    instance, order = ordered(user)
    assert (order.amount_fen, order.purpose) == (160000, "2025–2026 年度会费")
    page = logged_in(user).get(f"/applications/{instance.id}").get_data(as_text=True)
    assert order.order_no in page and "去支付" in page
    response = notify(client, order)
    assert response.status_code == 200 and response.json["message"] == "paid"
    db.session.expire_all()
    assert db.session.get(Member, member.id).unpaid_dues == 0  # the cached arrears R-STA-3 reads
    paid = db.session.scalars(select(DuesRecord).where(DuesRecord.member_id == member.id).order_by(DuesRecord.year))
    assert [(d.year, d.paid, d.paid_on) for d in paid] == [
        (2024, True, clock.today()),
        (2025, True, clock.today()),
        (2026, True, clock.today()),
    ]
    assert (instance.status, instance.outcome) == ("approved", "已缴清2025–2026 年度会费")
    assert services.check_eligibility("dues_payment", user)[1] == "您没有欠缴的会费"
    audited = db.session.scalars(
        select(AdminAuditEntry).where(AdminAuditEntry.action == "dues.record", AdminAuditEntry.actor_id.is_(None))
    ).all()
    assert sorted(e.details["year"] for e in audited) == [2025, 2026]  # recorded by the system on payment
    assert notify(client, order).json["message"] == "duplicate"  # the same callback again changes nothing


def test_a_forged_amount_or_an_expired_order_pays_nothing(app, client, world):
    user, member = arrears(world)
    instance, order = ordered(user)
    assert notify(client, order, amount_fen=100).status_code == 400
    db.session.expire_all()
    assert db.session.get(Member, member.id).unpaid_dues == 1600
    clock.advance(timedelta(minutes=121))
    assert fire_instance_timers(instance.id)  # the BPMN's timer expires the order
    db.session.commit()
    late = notify(client, order)
    assert late.status_code == 400 and "过期" in late.json["message"]
    db.session.expire_all()
    assert db.session.get(Member, member.id).unpaid_dues == 1600
    assert open_task(instance).form_key == "dues_payment"  # pay again: a new order pays
    services.submit_task(open_task(instance).id, user, {**PAYER, "method": "alipay"})
    db.session.commit()
    assert notify(client, latest_order(instance)).json["message"] == "paid"
    db.session.expire_all()
    assert db.session.get(Member, member.id).unpaid_dues == 0


def test_no_arrears_nothing_to_pay(world):
    assert services.check_eligibility("dues_payment", person(WANG))[1] == "您没有欠缴的会费"
