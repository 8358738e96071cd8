"""Uploaded files: content stored once by SHA-256, an Attachment row per upload."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base


class Attachment(Base):
    __tablename__ = "attachment"
    # a form's upload is keyed per application, person, field and content (app/workflow/drafts.py upload_store):
    # the same file sent twice, by the autosave and with the form, even at the same moment, is one row
    __table_args__ = (Index("ux_attachment_upload_key", "upload_key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    upload_key: Mapped[str | None] = mapped_column(String(255))


class InstanceAttachment(Base):
    """Which attachments a process instance's submitted data refers to (what its reviewers may open)."""

    __tablename__ = "instance_attachment"
    __table_args__ = (UniqueConstraint("instance_id", "attachment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachment.id"))
