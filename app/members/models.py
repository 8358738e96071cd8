"""Members of the society, and the facts about a person that eligibility rules read."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base
from app.i18n import N_
from app.organizations.models import Organization

MEMBER_KINDS = {"trainee": N_("见习执业会员"), "full": N_("正式执业会员"), "non_practicing": N_("非执业会员")}
# basic information the member edits without approval (R-INFO-2); a joining application's answers fill it
BASIC_INFO_FIELDS = ("email", "postal_address", "education", "position", "major", "employer")


class Member(Base):
    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    member_number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    local_association_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    # active | resigned | expelled
    status: Mapped[str] = mapped_column(String(20), default="active")
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # 协会代管: parked at the local association, in no firm (R-TRF-7)
    in_custody: Mapped[bool] = mapped_column(default=False)
    # 年检: in_progress | deferred | failed | passed (R-TRF-2, R-CER-2)
    annual_inspection: Mapped[str | None] = mapped_column(String(20))
    # a shareholder of the current firm must change the shareholder filing before leaving (R-TRF-3)
    is_shareholder: Mapped[bool] = mapped_column(default=False)
    # overseas non-practicing members are handled by the national association, not a local one (R-CER-7)
    overseas: Mapped[bool] = mapped_column(default=False)
    # practice months for trainee → full (R-STA-1) count from here; None: not practising
    practice_started_on: Mapped[date | None] = mapped_column(Date)
    # 欠缴会费 in yuan: blocks returning to practice (R-STA-3), warns on rejoining (R-RES-4)
    unpaid_dues: Mapped[int] = mapped_column(default=0)
    # basic information the member edits without approval (R-INFO-2)
    email: Mapped[str | None] = mapped_column(String(100))
    postal_address: Mapped[str | None] = mapped_column(String(200))
    education: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[str | None] = mapped_column(String(50))  # 职务
    major: Mapped[str | None] = mapped_column(String(50))  # 所学专业
    employer: Mapped[str | None] = mapped_column(String(100))  # 工作单位 (non-practicing members)

    firm: Mapped[Organization | None] = relationship(foreign_keys=[firm_id])
    local_association: Mapped[Organization] = relationship(foreign_keys=[local_association_id])

    # a person is an active member once: two admissions racing each other cannot both commit
    __table_args__ = (
        Index(
            "uq_member_one_active",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )


class MemberPenalty(Base):
    """A disciplinary penalty on a member (行业惩戒), as the association recorded it.

    kind: suspension (停止执业 / 停止从业) | warning (警告) | reprimand (通报批评). A suspension whose period reaches
    into the last three years disqualifies a shareholder or partner from the two-thirds rule of the Asset
    Appraisal Law art. 15 (rules/firm_structure.dmn). ends_on None: open-ended.
    """

    __tablename__ = "member_penalty"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class Qualification(Base):
    """A passed exam: 资产评估师 or 资产评估师（珠宝）."""

    __tablename__ = "qualification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    certificate_number: Mapped[str | None] = mapped_column(String(40))
    passed_on: Mapped[date] = mapped_column(Date)
    # the photo taken at the exam: the default certificate photo until one is filed (R-CER-7)
    exam_photo_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))


CORE_FILING_KINDS = {"photo": N_("头像"), "signature": N_("签字"), "seal": N_("印鉴")}


class CoreFiling(Base):
    """A core filing (R-INFO-1): history is kept; the newest row per kind is the one in force."""

    __tablename__ = "core_filing"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    # photo | signature | seal
    kind: Mapped[str] = mapped_column(String(20))
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachment.id"))
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
