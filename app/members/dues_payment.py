"""Dues paid online (issue 14 item 4; processes/dues_payment.bpmn): the member's unpaid years recorded by the
association become one order of the payments package; when the provider's verified notification resumes the
process, those years are recorded paid (app/members/records.py record_dues, audited) and the cached arrears the rules
read (member.unpaid_dues, R-STA-3, R-RES-4) are recomputed."""

from typing import Any

from flask import render_template
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import select

from app import clock
from app.engine import runtime
from app.engine.scripting import operation
from app.errors import NotEligible
from app.extensions import db
from app.members.models import Member
from app.members.record_models import DuesRecord
from app.members.records import record_dues
from app.payments.services import pending_orders
from app.workflow.models import ProcessInstance
from app.workflow.panels import task_panel
from app.workflow.versions import version_of


@operation("members/dues_arrears")
def dues_arrears(user_id: int) -> dict[str, Any]:
    """The unpaid years on record (any membership of the person, R-RES-4 counts a resigned one's too)."""
    rows = db.session.execute(
        select(DuesRecord.id, DuesRecord.year, DuesRecord.amount, Member.id)
        .join(Member, Member.id == DuesRecord.member_id)
        .where(Member.user_id == user_id, DuesRecord.paid.is_(False), DuesRecord.amount > 0)
        .order_by(DuesRecord.year)
    ).all()
    if not rows:
        raise NotEligible(gettext("您没有欠缴的会费"))
    years = sorted({year for _id, year, _amount, _member in rows})
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return {
        "records": [record_id for record_id, *_rest in rows],
        "amount_fen": sum(amount for _id, _year, amount, _member in rows) * 100,
        "purpose": gettext("%(years)s 年度会费", years=span),
    }


@operation("members/dues_paid")
def dues_paid(records: list[int], order_no: str) -> dict[str, Any]:
    """The provider confirmed the order (payments/services.py checked signature, amount and expiry): the years it
    paid for are recorded paid today, whoever recorded them unpaid; the arrears are recomputed."""
    paid = 0
    for record in db.session.scalars(select(DuesRecord).where(DuesRecord.id.in_(records)).with_for_update()):
        member = db.session.get(Member, record.member_id)
        assert member is not None
        if not record.paid:
            record_dues(None, member, record.year, record.amount, True, clock.today())
            paid += record.amount
    return {"order_no": order_no, "paid_yuan": paid}


@task_panel("dues_fee")
def dues_fee_panel(instance: ProcessInstance) -> Markup:
    """On the payment form: the years and the amount owed, as the order will carry them."""
    data = runtime.latest_data(version_of(instance), instance.state, instance.serializer_version)
    return Markup(render_template("members/_dues_fee.html", arrears=data.get("arrears") or {}))


@task_panel("dues_application")
def dues_application_panel(instance: ProcessInstance) -> Markup:
    """On the application page: the open order with 去支付 and 查询支付结果."""
    return Markup(render_template("members/_dues_orders.html", pending=pending_orders(instance.id)))
