"""My orders, paying, the providers' notify endpoint and the development cashier (a stand-in provider's page)."""

import base64
import secrets
import threading
import urllib.request

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug import Response

from app import clock
from app.certificates.qr import qr_png
from app.errors import NotFound
from app.extensions import csrf, db
from app.payments import services
from app.payments.gateway import BadNotification, dev_sign, gateway, notification_body
from app.payments.models import METHODS, ORDER_STATUSES, DevProviderPayment
from app.payments.receipt import receipt_pdf
from app.urls import external_url

bp = Blueprint("payments", __name__)

BANKS = ("中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "招商银行")


@bp.get("/payments/orders")
@login_required
def orders() -> str:
    return render_template(
        "payments/orders.html", orders=services.list_orders(current_user), methods=METHODS, statuses=ORDER_STATUSES
    )


@bp.get("/payments/receipts")
@login_required
def receipts() -> str:
    """回执汇总: every paid order of this person with its total."""
    paid = [o for o in services.list_orders(current_user) if o.status == "paid"]
    return render_template(
        "payments/receipts.html", orders=paid, total=sum(o.amount_fen for o in paid), methods=METHODS
    )


@bp.get("/payments/orders/<order_no>/receipt.pdf")
@login_required
def receipt(order_no: str) -> Response:
    pdf = receipt_pdf(services.my_order(current_user, order_no))
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": "inline; filename=receipt.pdf"})


@bp.post("/payments/orders/<order_no>/pay")
@login_required
def pay(order_no: str) -> str | Response:
    """To the provider's cashier, or (WeChat Native) a page with the order's QR code to scan."""
    checkout = services.checkout(current_user, order_no)
    if checkout.redirect_url:
        return redirect(checkout.redirect_url)
    order = services.my_order(current_user, order_no)
    qr = "data:image/png;base64," + base64.b64encode(qr_png(checkout.qr_content or "")).decode()
    return render_template("payments/scan.html", order=order, qr=qr, methods=METHODS)


@bp.post("/payments/orders/<order_no>/query")
@login_required
def query(order_no: str) -> Response:
    status = services.query_order(current_user, order_no)
    flash(
        gettext("支付成功，申请已进入审核") if status in ("paid", "duplicate") else gettext("尚未查询到支付结果"),
        "success",
    )
    return redirect(url_for(".orders"))


@bp.post("/payments/notify/<provider>")
@csrf.exempt
def notify(provider: str) -> tuple[Response, int]:
    """The provider's asynchronous callback; FAIL makes a provider retry, SUCCESS stops it."""
    backend = gateway(provider)  # 404 for a provider that is not configured
    try:
        result = services.receive_notification(provider, dict(request.headers.items()), request.get_data(cache=False))
    except BadNotification as err:
        db.session.rollback()
        body, status, mimetype = backend.acknowledge(False, err.message)
        return Response(body, status=status, mimetype=mimetype), status
    body, status, mimetype = backend.acknowledge(True, result)
    return Response(body, status=status, mimetype=mimetype), status


def _require_dev() -> None:
    if current_app.config["MEMBERFLOW_PAYMENT_BACKEND"] != "dev":
        raise NotFound(gettext("页面不存在"))


@bp.route("/dev/cashier/<order_no>", methods=["GET", "POST"])
@login_required
def dev_cashier(order_no: str) -> str | Response:
    """Development stand-in for the provider's cashier: QR code or bank list; paying sends the signed callback."""
    _require_dev()
    order = services.my_order(current_user, order_no)
    reason = services.unpayable_reason(order)
    if request.method == "POST" and reason:  # like a provider past time_expire: no money taken
        flash(reason, "error")
        return redirect(url_for(".orders"))
    if request.method == "POST":
        paid = DevProviderPayment(
            order_no=order.order_no,
            transaction_id=f"DEV{secrets.token_hex(10).upper()}",
            amount_fen=order.amount_fen,
            paid_at=clock.now(),
        )
        db.session.add(paid)
        db.session.flush()
        if request.form.get("lose_callback") != "1":  # lets a developer try the active query (查询支付结果)
            _deliver(*dev_sign(notification_body(paid.order_no, paid.transaction_id, paid.amount_fen, paid.paid_at)))
        flash(
            gettext(
                "已在模拟收银台完成支付。支付结果通知稍后到达；如订单仍显示“待支付”，请稍候刷新或点击“查询支付结果”。"
            ),
            "success",
        )
        return redirect(url_for(".orders"))
    return render_template("payments/dev_cashier.html", order=order, methods=METHODS, banks=BANKS, reason=reason)


@bp.get("/dev/cashier/<order_no>/qr.png")
@login_required
def dev_cashier_qr(order_no: str) -> Response:
    _require_dev()
    order = services.my_order(current_user, order_no)
    png = qr_png(external_url("payments.dev_cashier", order_no=order.order_no))
    return Response(png, mimetype="image/png")


def _deliver(headers: dict[str, str], body: bytes) -> None:
    """Like a provider: POST the signed notification to the notify URL, after this request (its own thread)."""
    if current_app.config["MEMBERFLOW_DEV_PAYMENT_DELIVERY"] == "inline":  # tests: the endpoint's code, in-process
        services.receive_notification("dev", headers, body)
        return
    target = external_url("payments.notify", provider="dev")
    req = urllib.request.Request(target, data=body, headers={**headers, "Content-Type": "application/json"})
    threading.Thread(target=lambda: urllib.request.urlopen(req, timeout=10).close(), daemon=True).start()  # noqa: S310
