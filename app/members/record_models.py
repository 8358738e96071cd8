"""The association's own records about its members (issue 14): credit records, annual inspection rounds, dues
per year, and suspension or expulsion. The facts the rules read are written from these (app/members/records.py)."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base

INSPECTION_STATUSES = ("in_progress", "passed", "deferred", "failed")
SANCTION_KINDS = ("suspension", "expulsion")


class CreditRecord(Base):
    """One entry of a member's 信用档案, shown to reviewers for reference only (R-STA-1); imported or recorded."""

    __tablename__ = "credit_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    content: Mapped[str] = mapped_column(String(500))
    # import: replaced as a whole when the member's row is imported again
    source: Mapped[str] = mapped_column(String(20), default="import")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class InspectionRound(Base):
    """A year's annual inspection (年检) of one local association's members: open while closed_at is None."""

    __tablename__ = "inspection_round"
    __table_args__ = (UniqueConstraint("local_association_id", "year", name="uq_inspection_round_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    local_association_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InspectionResult(Base):
    """A member's state in one round: 年检中 from the opening until marked passed, deferred or failed."""

    __tablename__ = "inspection_result"
    __table_args__ = (
        UniqueConstraint("round_id", "member_id", name="uq_inspection_result_member"),
        CheckConstraint(
            "status IN ('in_progress', 'passed', 'deferred', 'failed')", name="ck_inspection_result_status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("inspection_round.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    note: Mapped[str | None] = mapped_column(String(200))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DuesRecord(Base):
    """会费 of one member for one year; the unpaid ones are the arrears the rules read (R-STA-3, R-RES-4)."""

    __tablename__ = "dues_record"
    __table_args__ = (
        UniqueConstraint("member_id", "year", name="uq_dues_record_year"),
        CheckConstraint("amount >= 0", name="ck_dues_record_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    year: Mapped[int] = mapped_column()
    amount: Mapped[int] = mapped_column()  # yuan
    paid: Mapped[bool] = mapped_column(default=False)
    paid_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class MembershipSanction(Base):
    """暂停会员资格 (until ends_on, or lifted) or 除名, decided by the association with its reason."""

    __tablename__ = "membership_sanction"
    __table_args__ = (CheckConstraint("kind IN ('suspension', 'expulsion')", name="ck_membership_sanction_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    lifted_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
