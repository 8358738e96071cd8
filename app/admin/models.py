"""The administrative audit log: who changed rights or records outside any application, when, and how."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base


class AdminAuditEntry(Base):
    """One administrative action; rows are only ever added (the page reads them newest first)."""

    __tablename__ = "admin_audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    # None: the system acting on an approved application (e.g. the firm-admin appointment)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_name: Mapped[str] = mapped_column(String(100))
    # role.grant | role.revoke | staff.add | staff.remove | firm_admin.appoint | member.edit | member.photo
    # | certificate.revoke
    action: Mapped[str] = mapped_column(String(40))
    # what was acted on, "kind:id" (user:12, member:7)
    target: Mapped[str] = mapped_column(String(80), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ImportJob(Base):
    """One uploaded import file (issue 14 item 1) and its progress, which the page polls.

    status: queued | running | done (every row written) | refused (nothing written: `report` lists each refused
    row with its reason) | error (nothing written: an unexpected failure, `report` says which)."""

    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    # firms | members | inspection | dues
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    report: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seconds: Mapped[float | None] = mapped_column()
    # the worker's lease: written as it starts, with every progress step and by its heartbeat thread; a queued or
    # running job whose lease lapsed lost its worker (app/admin/imports.py fail_stale_jobs)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ExportJob(Base):
    """A large list export worked on in the background (issue 15): its progress, which the page polls, and the
    finished workbook, which only the person who asked for it downloads.

    status: queued | running | done | error (`error` says why)."""

    __tablename__ = "export_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    # inbox | done | members (app/admin/exports.py EXPORT_KINDS)
    kind: Mapped[str] = mapped_column(String(20))
    # the list's filters as the page had them, and the language of the column names
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    filename: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    error: Mapped[str | None] = mapped_column(String(300))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
