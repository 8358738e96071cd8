"""List exports (issue 15): a small list is written in the request; a large one becomes an export job worked on in
the background (app/background.py, as imports are) with progress the page polls, and a download for the person who
asked. Every export is audited with its filters and row count."""

from collections.abc import Callable
from typing import Any

from flask_babel import force_locale, get_locale
from sqlalchemy import select

from app import background, clock
from app.accounts.models import User
from app.admin.audit import record_admin_action
from app.admin.models import ExportJob
from app.certificates.staff import members_export
from app.errors import NotFound
from app.extensions import db
from app.files.workbooks import MAX_ROWS, ListExport, write_workbook
from app.workflow.export import applications_export, done_export, inbox_export
from app.workflow.inbox import InboxFilter

INLINE_ROWS = 2000  # up to this many rows the download starts at once (under a second); more go to the background

# kind -> the list export for a person and the parameters the page had (rebuilt in the job's own thread)
EXPORT_KINDS: dict[str, Callable[[User, dict[str, Any]], ListExport]] = {
    "inbox": lambda user, p: inbox_export(user, InboxFilter.from_args(p.get("filters") or {}), p.get("sort", "")),
    "done": lambda user, p: done_export(user),
    "members": lambda user, p: members_export(user, p.get("q", "")),
    "applications": applications_export,
}


def request_export(user: User, kind: str, params: dict[str, Any], filename: str) -> bytes | ExportJob:
    """The workbook itself when the list is small, else the job that will write it."""
    export = EXPORT_KINDS[kind](user, params)
    if export.count(INLINE_ROWS + 1) <= INLINE_ROWS:
        data, count = write_workbook(export)
        _audit(user, export, count, background=False)
        return data
    job = ExportJob(
        kind=kind,
        params={**params, "locale": str(get_locale() or "zh_CN")},
        filename=filename,
        total=export.count(MAX_ROWS),
        created_by_id=user.id,
        created_at=clock.now(),
    )
    db.session.add(job)
    db.session.flush()
    if background.runs_inline():  # tests: in the request's transaction
        run_export_job(job.id)
        return job
    job_id = job.id
    background.start(lambda: run_export_job(job_id), lambda err: _failed(job_id, err), "export job")
    return job


def run_export_job(job_id: int) -> ExportJob:
    job = db.session.get(ExportJob, job_id)
    assert job is not None
    user = db.session.get(User, job.created_by_id)
    assert user is not None
    background.write_progress(ExportJob, job_id, status="running")
    with force_locale(job.params.get("locale") or "zh_CN"):
        export = EXPORT_KINDS[job.kind](user, job.params)
        data, count = write_workbook(
            export, lambda n: background.write_progress(ExportJob, job_id, processed=n, status="running")
        )
    job.content, job.processed, job.status, job.finished_at = data, count, "done", clock.now()
    _audit(user, export, count, background=True)
    db.session.flush()
    return job


def _audit(user: User, export: ListExport, count: int, *, background: bool) -> None:
    details = {**export.audit_details, "rows": count, **({"background": True} if background else {})}
    record_admin_action(user, export.audit_action, f"user:{user.id}", details)


def _failed(job_id: int, err: Exception) -> None:
    job = db.session.get(ExportJob, job_id)
    if job is not None:
        job.status, job.finished_at, job.error = "error", clock.now(), f"{type(err).__name__}: {err}"[:300]


def own_job(user: User, job_id: int) -> ExportJob:
    """Another person's export is 'not found'."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.created_by_id != user.id:
        raise NotFound("导出任务不存在")
    return job


def recent_jobs(user: User, limit: int = 10) -> list[ExportJob]:
    stmt = select(ExportJob).where(ExportJob.created_by_id == user.id).order_by(ExportJob.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))
