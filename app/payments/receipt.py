"""The payment receipt (回执) as a PDF with the CJK font, in the name of the association the process declares."""

from flask_babel import gettext
from sqlalchemy import select

from app import clock
from app.cjk_pdf import titled_document
from app.errors import NotFound
from app.extensions import db
from app.organizations.societies import society_of_process
from app.payments.models import METHODS, Payment, PaymentOrder
from app.workflow.models import ProcessInstance


def receipt_pdf(order: PaymentOrder) -> bytes:
    payment = db.session.scalar(select(Payment).where(Payment.order_id == order.id))
    if order.status != "paid" or payment is None:
        raise NotFound(gettext("该订单尚未支付，没有回执"))
    instance = db.session.get(ProcessInstance, order.instance_id)
    society = society_of_process(instance.process_id) if instance else None
    pdf = titled_document(f"{society.name if society else ''} 缴费回执".strip(), size=11)
    lines = [
        f"订单号：{order.order_no}",
        f"费用：{order.purpose}",
        f"金额：{order.amount_fen / 100:.2f} 元（{order.currency}）",
        f"支付方式：{METHODS.get(order.method, order.method)}　支付流水号：{payment.transaction_id}",
        f"支付时间：{clock.format_local(payment.paid_at, 'zh')}",
        f"付款人：{order.payer_name}　手机：{order.payer_mobile}　邮箱：{order.payer_email}",
        f"申请：{instance.title if instance else ''}",
    ]
    for line in lines:
        pdf.paragraph(line, 8)
    return bytes(pdf.output())
