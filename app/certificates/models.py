"""Electronic certificates (one per member and kind, reissued with a new serial after revocation) and the print log."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base
from app.members.models import Member


class Certificate(Base):
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    # the member kind it certifies (R-CER-1): trainee | full | non_practicing
    kind: Mapped[str] = mapped_column(String(20))
    # member number + issue count: what the QR token and the print log name
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    member: Mapped[Member] = relationship()

    # R-CER-4: one certificate in force per member and kind; two first prints at once cannot issue two
    __table_args__ = (
        Index(
            "uq_certificate_one_current",
            "member_id",
            "kind",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )


class PrintRecord(Base):
    """One print or download of a certificate (R-CER-6)."""

    __tablename__ = "certificate_print"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    printed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    kind: Mapped[str] = mapped_column(String(20))
    serial: Mapped[str] = mapped_column(String(40))

    certificate: Mapped[Certificate] = relationship()
