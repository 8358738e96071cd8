"""Auctioneers of the auction association: management number, registrations per year, CE and practice records."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.dbtypes import UTCDateTime
from app.extensions import Base

# R-AUC-3: the manual's list of main item types
ITEM_TYPES = ("房地产", "物资设备", "生活用品", "股权", "艺术品", "综合拍卖", "农副产品", "机动车", "其他")
# the 首次注册 form's personal fields (forms/auctioneer_first_registration.json), kept on the record in these columns
PERSONAL_FIELDS = (
    "name",
    "gender",
    "id_number",
    "id_type",
    "id_valid_until",
    "birth_date",
    "auction_since",
    "political_status",
    "ethnicity",
    "nationality",
    "education",
    "postcode",
    "phone",
    "email",
    "residence",
    "address",
)
REGISTRATION_TYPES = {"registration": "注册", "re_registration": "再注册", "first_registration": "首次注册"}


class Auctioneer(Base):
    __tablename__ = "auctioneer"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), unique=True)
    management_number: Mapped[str] = mapped_column(String(30), unique=True)  # 拍卖师管理号, searchable
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    branch_member: Mapped[bool] = mapped_column(default=False)  # 拍卖师分会会员 (R-AUC-5: 会员免缴)
    # 个人资料: the first registration's personal data form (R-AUC-1), copied here when the CAA approves it;
    # auctioneers recorded before the platform have none yet
    name: Mapped[str | None] = mapped_column(String(50))
    gender: Mapped[str | None] = mapped_column(String(2))
    id_number: Mapped[str | None] = mapped_column(String(18))
    id_type: Mapped[str | None] = mapped_column(String(20))
    id_valid_until: Mapped[date | None]
    birth_date: Mapped[date | None]
    auction_since: Mapped[date | None]  # 从事拍卖时间
    political_status: Mapped[str | None] = mapped_column(String(20))
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    nationality: Mapped[str | None] = mapped_column(String(40))
    education: Mapped[str | None] = mapped_column(String(20))
    postcode: Mapped[str | None] = mapped_column(String(6))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(100))
    residence: Mapped[str | None] = mapped_column(String(100))  # 常住地（市/县）
    address: Mapped[str | None] = mapped_column(String(200))


class AuctioneerYear(Base):
    """The practicing state per year: a row means registered (practicing) for that year (R-AUC-1)."""

    __tablename__ = "auctioneer_year"
    __table_args__ = (UniqueConstraint("auctioneer_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    auctioneer_id: Mapped[int] = mapped_column(ForeignKey("auctioneer.id"), index=True)
    year: Mapped[int]
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CeRecord(Base):
    """R-AUC-3: one continuing-education item with its hours and proof; R-AUC-2 sums them per year."""

    __tablename__ = "auctioneer_ce_record"
    __table_args__ = (CheckConstraint("hours > 0 AND hours <= 200", name="hours_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    auctioneer_id: Mapped[int] = mapped_column(ForeignKey("auctioneer.id"), index=True)
    year: Mapped[int]
    item: Mapped[str] = mapped_column(String(200))
    hours: Mapped[int]
    proof_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))


class PracticeRecord(Base):
    """R-AUC-3: the last year's practice: sessions hosted, main item type, total turnover in 万元."""

    __tablename__ = "auctioneer_practice_record"
    __table_args__ = (
        UniqueConstraint("auctioneer_id", "year"),
        CheckConstraint("sessions >= 0 AND sessions <= 10000", name="sessions_range"),
        CheckConstraint("turnover_wan >= 0 AND turnover_wan <= 100000000", name="turnover_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    auctioneer_id: Mapped[int] = mapped_column(ForeignKey("auctioneer.id"), index=True)
    year: Mapped[int]
    sessions: Mapped[int]
    main_item_type: Mapped[str] = mapped_column(String(20))
    turnover_wan: Mapped[Decimal] = mapped_column(Numeric(14, 2))
