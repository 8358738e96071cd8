"""A migration started from the web (issue 17 item 5): worked on in the background (app/background.py), its
progress on this row, which the page polls."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.accounts.models import User
from app.dbtypes import UTCDateTime
from app.extensions import Base


class MigrationJob(Base):
    """Moving the chosen running instances of one version to another. Each instance commits on its own, so a job
    that stops half way (an error, a lost worker) leaves the moved ones moved and the rest where they were.

    status: queued | running | done | error (`error` says why)."""

    __tablename__ = "migration_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(80), index=True)
    from_key: Mapped[str] = mapped_column(String(80))
    to_key: Mapped[str] = mapped_column(String(80))
    instance_ids: Mapped[list[int] | None] = mapped_column(JSON)  # None: every running instance of `from_key`
    status: Mapped[str] = mapped_column(String(20), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    moved: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # instance id -> why it stays (when done)
    skipped_count: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(300))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_by: Mapped[User] = relationship()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # the worker's lease: written with every batch and by its heartbeat; an unfinished job whose lease lapsed lost
    # its worker (app/migration/jobs.py fail_stale_jobs)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
