"""Payment providers behind one interface; the development provider's notifications are verified with its
public key (Ed25519). The production providers (WeChat Pay, Alipay) are in providers.py, on their SDKs.

A notification is the provider's asynchronous callback: a JSON body and headers carrying a timestamp, a nonce and
a signature over "timestamp\\nnonce\\nbody\\n" (the layout WeChat Pay v3 signs). The development backend is a
stand-in provider holding a locally generated private key; the platform verifies with its public key through
exactly the code that verifies a production provider's callbacks (`verify_notification`).
"""

import base64
import json
import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app
from flask_babel import gettext

from app import clock
from app.errors import DomainError, NotAllowed, NotFound
from app.payments.models import METHODS, PaymentOrder

# a notification older (or newer) than this is refused: a captured callback cannot be replayed later
SIGNATURE_WINDOW = timedelta(minutes=5)
HEADERS = ("Mf-Pay-Timestamp", "Mf-Pay-Nonce", "Mf-Pay-Signature")


class BadNotification(DomainError):
    status = 400


@dataclass(frozen=True)
class Notification:
    order_no: str
    transaction_id: str
    amount_fen: int
    currency: str
    paid_at: datetime
    body: dict[str, Any]


def signed_message(timestamp: str, nonce: str, body: bytes) -> bytes:
    return timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"


def verify_notification(public_key: Ed25519PublicKey, headers: dict[str, str], body: bytes) -> Notification:
    """The one verification path: signature over timestamp, nonce and the raw body; then the body's fields."""
    timestamp, nonce, signature = (headers.get(h, "") for h in HEADERS)
    if not (timestamp.isascii() and timestamp.isdigit() and nonce and signature):
        raise BadNotification(gettext("通知缺少签名信息"))
    try:
        public_key.verify(base64.b64decode(signature, validate=True), signed_message(timestamp, nonce, body))
    except (InvalidSignature, ValueError) as err:
        raise BadNotification(gettext("通知签名验证失败")) from err
    if len(timestamp) > 12 or abs(clock.now().timestamp() - int(timestamp)) > SIGNATURE_WINDOW.total_seconds():
        raise BadNotification(gettext("通知时间戳超出有效期"))
    try:
        data = json.loads(body)
        note = Notification(
            order_no=str(data["order_no"]),
            transaction_id=str(data["transaction_id"]),
            amount_fen=int(data["amount_fen"]),
            currency=str(data["currency"]),
            paid_at=datetime.fromisoformat(data["paid_at"]),
            body=data,
        )
    except (ValueError, KeyError, TypeError, OverflowError) as err:
        raise BadNotification(gettext("通知内容格式错误")) from err
    if note.paid_at.tzinfo is None or not (0 < len(note.transaction_id) <= 64 and len(note.order_no) <= 32):
        raise BadNotification(gettext("通知内容格式错误"))
    return note


@dataclass(frozen=True)
class Checkout:
    """Where the payer pays: a page to send them to (cashier, Alipay), or a QR code to show (WeChat Native)."""

    redirect_url: str | None = None
    qr_content: str | None = None


class PaymentGateway(ABC):
    """One provider: opens the payment for an order, verifies its notifications, answers the active query."""

    name: str

    @abstractmethod
    def checkout(self, order: PaymentOrder) -> Checkout:
        """Create the order at the provider: the cashier page, QR code or bank selection the payer goes to."""

    @abstractmethod
    def verify(self, headers: dict[str, str], body: bytes) -> Notification:
        """The provider's callback, verified by its signature (BadNotification otherwise): what it says was paid."""

    @abstractmethod
    def query(self, order: PaymentOrder) -> Notification | None:
        """Active query: the provider's verified statement that the order was paid, or None (recovers a lost
        callback)."""

    def acknowledge(self, ok: bool, message: str) -> tuple[str, int, str]:
        """The answer the provider expects (body, status, mimetype); a refusal makes it retry later."""
        body = json.dumps({"code": "SUCCESS" if ok else "FAIL", "message": message}, ensure_ascii=False)
        return body, 200 if ok else 400, "application/json"


def _dev_private_key() -> Ed25519PrivateKey:
    """The stand-in provider's key, generated locally on first use and kept in a file (never in the repository)."""
    path = Path(current_app.config["MEMBERFLOW_DEV_PAYMENT_KEY"])
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.write_bytes(pem)
        path.chmod(0o600)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def dev_sign(body: dict[str, Any], key: Ed25519PrivateKey | None = None) -> tuple[dict[str, str], bytes]:
    """What the stand-in provider sends: the body and its signature headers."""
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp, nonce = str(int(clock.now().timestamp())), secrets.token_hex(16)
    signature = (key or _dev_private_key()).sign(signed_message(timestamp, nonce, raw))
    return dict(zip(HEADERS, (timestamp, nonce, base64.b64encode(signature).decode()), strict=True)), raw


class DevGateway(PaymentGateway):
    name = "dev"

    def checkout(self, order: PaymentOrder) -> Checkout:
        from flask import url_for

        return Checkout(redirect_url=url_for("payments.dev_cashier", order_no=order.order_no))

    def verify(self, headers: dict[str, str], body: bytes) -> Notification:
        return verify_notification(_dev_private_key().public_key(), headers, body)

    def query(self, order: PaymentOrder) -> Notification | None:
        from sqlalchemy import select

        from app.extensions import db
        from app.payments.models import DevProviderPayment

        paid = db.session.scalar(select(DevProviderPayment).where(DevProviderPayment.order_no == order.order_no))
        if paid is None:
            return None
        # the stand-in provider answers with a signed statement, verified like a callback
        return self.verify(
            *dev_sign(notification_body(paid.order_no, paid.transaction_id, paid.amount_fen, paid.paid_at))
        )


def notification_body(order_no: str, transaction_id: str, amount_fen: int, paid_at: datetime) -> dict[str, Any]:
    return {
        "order_no": order_no,
        "transaction_id": transaction_id,
        "amount_fen": amount_fen,
        "currency": "CNY",
        "status": "SUCCESS",
        "paid_at": paid_at.isoformat(),
    }


class NotConnectedGateway(PaymentGateway):
    """A production slot not connected yet (the bank gateway, 网银支付)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _refuse(self) -> Any:
        raise NotAllowed(f"支付渠道 {self.name} 尚未接入，请联系协会")

    def checkout(self, order: PaymentOrder) -> Checkout:
        return self._refuse()  # type: ignore[no-any-return]

    def verify(self, headers: dict[str, str], body: bytes) -> Notification:
        return self._refuse()  # type: ignore[no-any-return]

    def query(self, order: PaymentOrder) -> Notification | None:
        return self._refuse()  # type: ignore[no-any-return]


def gateway(provider: str) -> PaymentGateway:
    """MEMBERFLOW_PAYMENT_BACKEND=dev: every method is paid on the development cashier (provider "dev"); =live:
    each method at its provider ("wechat": WeChat Pay, "alipay": Alipay, "bank": not connected yet)."""
    backend = current_app.config["MEMBERFLOW_PAYMENT_BACKEND"]
    if backend == "dev":
        if provider != "dev":
            raise NotFound("支付渠道不存在")
        return DevGateway()
    if backend != "live" or provider not in METHODS:
        raise NotFound("支付渠道不存在")
    from app.payments import providers

    return providers.connected(provider) or NotConnectedGateway(provider)


def gateway_for(order: PaymentOrder) -> PaymentGateway:
    """The provider that takes this order's payment (its method, or the development cashier)."""
    dev = current_app.config["MEMBERFLOW_PAYMENT_BACKEND"] == "dev"
    return gateway("dev" if dev else order.method)
