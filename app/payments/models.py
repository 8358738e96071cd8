"""Payment orders (one per fee to pay) and the payments providers confirmed for them."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.dbtypes import UTCDateTime
from app.extensions import Base
from app.i18n import N_

METHODS = {"bank": N_("网银支付"), "wechat": N_("微信支付"), "alipay": N_("支付宝")}
ORDER_STATUSES = {"pending": N_("待支付"), "paid": N_("已支付"), "expired": N_("已过期")}


class PaymentOrder(Base):
    """R-AUC-6: what is owed for one application, by whom, how; expires unpaid and can be paid again (new order)."""

    __tablename__ = "payment_order"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    payer_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))  # e.g. 下一年度拍卖师分会会费 / 拍卖师注册费
    amount_fen: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    method: Mapped[str] = mapped_column(String(10))
    payer_name: Mapped[str] = mapped_column(String(50))
    payer_email: Mapped[str] = mapped_column(String(100))
    payer_mobile: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Payment(Base):
    """A provider's confirmed payment; one per order and one per provider transaction (the callback's idempotency)."""

    __tablename__ = "payment"
    __table_args__ = (UniqueConstraint("provider", "transaction_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("payment_order.id"), unique=True)
    provider: Mapped[str] = mapped_column(String(20))
    transaction_id: Mapped[str] = mapped_column(String(64))
    amount_fen: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    notification: Mapped[dict] = mapped_column(JSON)  # the verified body, kept as the provider sent it


class DevProviderPayment(Base):
    """Development backend only: what the stand-in provider knows was paid (answers the active order query)."""

    __tablename__ = "dev_provider_payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    transaction_id: Mapped[str] = mapped_column(String(64), unique=True)
    amount_fen: Mapped[int]
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime)
