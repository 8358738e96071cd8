"""The production payment providers on their maintained SDKs: WeChat Pay API v3 (`wechatpayv3`, in its public-key
mode: the platform's public key and its id are configured, so nothing is downloaded at run time) and Alipay
(`python-alipay-sdk`, RSA2). Their notifications are verified by the SDKs' own signature checks."""

import json
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from alipay import AliPay
from alipay.exceptions import AliPayException
from flask import current_app
from wechatpayv3 import WeChatPay, WeChatPayType

from app import clock
from app.errors import Conflict
from app.payments.gateway import SIGNATURE_WINDOW, BadNotification, Checkout, Notification, PaymentGateway
from app.payments.models import PaymentOrder

CHINA = ZoneInfo("Asia/Shanghai")  # both providers state times in Beijing time
WECHAT_HEADERS = ("Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial")


def _setting(name: str) -> str:
    value = current_app.config.get(name)
    if not value:
        raise Conflict(f"支付渠道未配置（{name}），请联系协会")
    return str(value)


def _key(name: str) -> str:
    """A key setting: PEM text, or the path of a PEM file."""
    value = _setting(name)
    return value if "-----BEGIN" in value else Path(value).read_text()


def _notify_url(provider: str) -> str:
    from app.urls import external_url

    return external_url("payments.notify", provider=provider)


class WeChatGateway(PaymentGateway):
    """WeChat Pay Native (扫码支付): the order's code_url is shown as a QR code; notifications are signed with the
    platform key (SHA256-RSA2048) and their resource is AES-256-GCM encrypted with the merchant's API v3 key."""

    name = "wechat"

    def __init__(self) -> None:
        self.public_key_id = _setting("MEMBERFLOW_WECHATPAY_PUBLIC_KEY_ID")
        self.client = WeChatPay(
            wechatpay_type=WeChatPayType.NATIVE,
            mchid=_setting("MEMBERFLOW_WECHATPAY_MCHID"),
            private_key=_key("MEMBERFLOW_WECHATPAY_PRIVATE_KEY"),
            cert_serial_no=_setting("MEMBERFLOW_WECHATPAY_CERT_SERIAL_NO"),
            appid=_setting("MEMBERFLOW_WECHATPAY_APPID"),
            apiv3_key=_setting("MEMBERFLOW_WECHATPAY_APIV3_KEY"),
            notify_url=_notify_url(self.name),
            public_key=_key("MEMBERFLOW_WECHATPAY_PUBLIC_KEY"),
            public_key_id=self.public_key_id,
            timeout=(5, 15),
        )

    def checkout(self, order: PaymentOrder) -> Checkout:
        code, message = self.client.pay(
            description=order.purpose,
            out_trade_no=order.order_no,
            amount={"total": order.amount_fen, "currency": order.currency},
            time_expire=order.expires_at.astimezone(CHINA).isoformat(timespec="seconds"),
        )
        if code != 200:
            raise Conflict("微信支付下单失败，请稍后再试或选择其他支付方式")
        return Checkout(qr_content=json.loads(message)["code_url"])

    def verify(self, headers: dict[str, str], body: bytes) -> Notification:
        found = {h: headers.get(h, "") for h in WECHAT_HEADERS}
        if not all(found.values()):
            raise BadNotification("通知缺少签名信息")
        # another serial would make the SDK download platform certificates: public-key mode knows one key only
        if found["Wechatpay-Serial"] != self.public_key_id:
            raise BadNotification("通知签名验证失败")
        timestamp = found["Wechatpay-Timestamp"]
        if not (timestamp.isdigit() and len(timestamp) <= 12):
            raise BadNotification("通知缺少签名信息")
        if abs(clock.now().timestamp() - int(timestamp)) > SIGNATURE_WINDOW.total_seconds():
            raise BadNotification("通知时间戳超出有效期")
        try:
            result = self.client.callback(headers, body)
        except Exception as err:  # the SDK raises bare Exception (unknown algorithm, bad key, undecryptable)
            raise BadNotification("通知签名验证失败") from err
        if not result or not isinstance(result.get("resource"), dict):
            raise BadNotification("通知签名验证失败")
        return self._paid(result["resource"])

    def query(self, order: PaymentOrder) -> Notification | None:
        code, message = self.client.query(out_trade_no=order.order_no)  # the SDK verifies the answer's signature
        if code != 200:
            return None
        answer = json.loads(message)
        return self._paid(answer) if answer.get("trade_state") == "SUCCESS" else None

    @staticmethod
    def _paid(resource: dict[str, Any]) -> Notification:
        if resource.get("trade_state") != "SUCCESS":
            raise BadNotification("交易状态不是支付成功")
        try:
            amount = resource["amount"]
            return Notification(
                order_no=str(resource["out_trade_no"]),
                transaction_id=str(resource["transaction_id"]),
                amount_fen=int(amount["total"]),
                currency=str(amount.get("currency", "CNY")),
                paid_at=datetime.fromisoformat(resource["success_time"]),
                body=resource,
            )
        except (KeyError, TypeError, ValueError) as err:
            raise BadNotification("通知内容格式错误") from err

    def acknowledge(self, ok: bool, message: str) -> tuple[str, int, str]:
        body = json.dumps({"code": "SUCCESS" if ok else "FAIL", "message": message}, ensure_ascii=False)
        return body, 200 if ok else 400, "application/json"


class AlipayGateway(PaymentGateway):
    """Alipay 电脑网站支付 (alipay.trade.page.pay): the payer is sent to Alipay's cashier (QR code or login there);
    the asynchronous notification is a signed form post, answered with the text "success"."""

    name = "alipay"

    def __init__(self) -> None:
        self.appid = _setting("MEMBERFLOW_ALIPAY_APPID")
        self.client = AliPay(
            appid=self.appid,
            app_notify_url=_notify_url(self.name),
            app_private_key_string=_key("MEMBERFLOW_ALIPAY_PRIVATE_KEY"),
            alipay_public_key_string=_key("MEMBERFLOW_ALIPAY_PUBLIC_KEY"),
            sign_type="RSA2",
            debug=current_app.config.get("MEMBERFLOW_ALIPAY_SANDBOX") == "1",
        )

    def checkout(self, order: PaymentOrder) -> Checkout:
        from app.urls import external_url

        order_string = self.client.api_alipay_trade_page_pay(
            subject=order.purpose,
            out_trade_no=order.order_no,
            total_amount=f"{Decimal(order.amount_fen) / 100:.2f}",
            return_url=external_url("payments.orders"),
            notify_url=_notify_url(self.name),
            time_expire=order.expires_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"),
        )
        return Checkout(redirect_url=f"{self.client._gateway}?{order_string}")

    def verify(self, headers: dict[str, str], body: bytes) -> Notification:
        try:
            data = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
        except (UnicodeDecodeError, ValueError) as err:
            raise BadNotification("通知内容格式错误") from err
        signature = data.pop("sign", "")
        if not signature:
            raise BadNotification("通知缺少签名信息")
        try:
            verified = self.client.verify(data, signature)
        except (AliPayException, ValueError, TypeError) as err:
            raise BadNotification("通知签名验证失败") from err
        if not verified:
            raise BadNotification("通知签名验证失败")
        if data.get("app_id") != self.appid:
            raise BadNotification("通知不属于本应用")
        return self._paid(data)

    def query(self, order: PaymentOrder) -> Notification | None:
        try:
            answer = self.client.api_alipay_trade_query(out_trade_no=order.order_no)  # verified by the SDK
        except AliPayException:
            return None
        if answer.get("trade_status") not in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            return None
        return self._paid(answer)

    @staticmethod
    def _paid(data: dict[str, Any]) -> Notification:
        if data.get("trade_status") not in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            raise BadNotification("交易状态不是支付成功")
        try:
            yuan = Decimal(str(data["total_amount"]))
            when = data.get("gmt_payment") or data.get("send_pay_date") or data["notify_time"]
            paid_at = datetime.strptime(str(when), "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
            if yuan != yuan.quantize(Decimal("0.01")):
                raise ValueError(yuan)
            return Notification(
                order_no=str(data["out_trade_no"]),
                transaction_id=str(data["trade_no"]),
                amount_fen=int(yuan * 100),
                currency="CNY",  # Alipay's domestic trades are in yuan
                paid_at=paid_at,
                body=dict(data),
            )
        except (KeyError, ValueError, InvalidOperation) as err:
            raise BadNotification("通知内容格式错误") from err

    def acknowledge(self, ok: bool, message: str) -> tuple[str, int, str]:
        return ("success" if ok else "fail"), 200, "text/plain"


def connected(provider: str) -> PaymentGateway | None:
    """The connected provider for a payment method; None for one that is not connected (the bank gateway)."""
    if provider == "wechat":
        return WeChatGateway()
    if provider == "alipay":
        return AlipayGateway()
    return None
