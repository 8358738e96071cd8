"""The catalog: every published version of every analysts' file, the live one per file, and drafts per analyst."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base


class SpecFileVersion(Base):
    """One published version of one file (kind bpmn|dmn|form, name = its file name). Never changed afterwards;
    a rollback publishes an old content again as a new version. `number` counts per file: two publishers
    racing for the same next number cannot both win (uq_spec_file_version_number)."""

    __tablename__ = "spec_file_version"
    __table_args__ = (
        UniqueConstraint("kind", "name", "number", name="uq_spec_file_version_number"),
        Index("ix_spec_file_version_hash", "kind", "name", "hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120))
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(String(64))  # sha256 of the content's UTF-8 bytes
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    author_name: Mapped[str] = mapped_column(String(100))
    comment: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(8))  # file | web
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class SpecLive(Base):
    """The live pointer of one file: which version the engine runs. Publishing moves it only from the version
    the draft started on (a conditional UPDATE, row-locked until commit): a concurrent publish gets 409."""

    __tablename__ = "spec_live"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("spec_file_version.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class SpecDraft(Base):
    """An analyst's unpublished edit of one file (or of a file not published yet); nobody else sees it."""

    __tablename__ = "spec_draft"
    __table_args__ = (UniqueConstraint("user_id", "kind", "name", name="uq_spec_draft_user_file"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120))
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("spec_file_version.id"))
    content: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
