"""Uploaded files: content stored once by SHA-256, an Attachment row per upload."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base


class Attachment(Base):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class InstanceAttachment(Base):
    """Which attachments a process instance's submitted data refers to (what its reviewers may open)."""

    __tablename__ = "instance_attachment"
    __table_args__ = (UniqueConstraint("instance_id", "attachment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachment.id"))
