"""Import jobs (issue 14 item 1): an uploaded file is checked and written by its owning package's importer,
in the background with a progress row the page polls, all or nothing, and audited."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app import background, clock
from app.accounts.models import User
from app.admin.audit import record_admin_action
from app.admin.models import ImportJob
from app.errors import Invalid, NotFound
from app.extensions import db
from app.files.import_rows import Outcome, Progress
from app.files.tables import MAX_IMPORT_BYTES, Table, csv_template, read_table, xlsx_template
from app.members import imports as member_imports
from app.members import record_imports
from app.organizations import imports as firm_imports


@dataclass(frozen=True)
class ImportKind:
    label: Any
    columns: tuple[str, ...]
    required: tuple[str, ...]
    example: tuple[str, ...]
    run: Callable[[Table, Progress, User | None], Outcome]


IMPORT_KINDS: dict[str, ImportKind] = {
    "firms": ImportKind(
        _l("资产评估机构"),
        firm_imports.COLUMNS,
        firm_imports.REQUIRED,
        firm_imports.EXAMPLE,
        lambda table, progress, _actor: firm_imports.import_firms(table, progress),
    ),
    "members": ImportKind(
        _l("会员（含信用档案、原平台用户名）"),
        member_imports.COLUMNS,
        member_imports.REQUIRED,
        member_imports.EXAMPLE,
        lambda table, progress, _actor: member_imports.import_members(table, progress),
    ),
    "inspection": ImportKind(
        _l("年检结果（须先开启当年年检）"),
        record_imports.INSPECTION_COLUMNS,
        record_imports.INSPECTION_COLUMNS[:3],
        record_imports.INSPECTION_EXAMPLE,
        record_imports.import_inspection,
    ),
    "dues": ImportKind(
        _l("会费记录"),
        record_imports.DUES_COLUMNS,
        record_imports.DUES_COLUMNS[:4],
        record_imports.DUES_EXAMPLE,
        record_imports.import_dues,
    ),
}


def import_kind(kind: str) -> ImportKind:
    if kind not in IMPORT_KINDS:
        raise NotFound("页面不存在")
    return IMPORT_KINDS[kind]


def template_file(kind: str, fmt: str) -> bytes:
    spec = import_kind(kind)
    if fmt == "xlsx":
        return xlsx_template(spec.columns, spec.example)
    if fmt == "csv":
        return csv_template(spec.columns, spec.example)
    raise NotFound("页面不存在")


def submit_import(actor: User, kind: str, filename: str, data: bytes) -> ImportJob:
    """The job row is committed first, so that the page can poll it while the file is worked on."""
    import_kind(kind)
    if not data:
        raise Invalid(_("请选择要导入的文件"), {"file": _("请选择要导入的文件")})
    if len(data) > MAX_IMPORT_BYTES:
        message = _("文件超过 %(mb)d MB，请分成多个文件导入", mb=MAX_IMPORT_BYTES // (1024 * 1024))
        raise Invalid(message, {"file": message})
    job = ImportJob(kind=kind, filename=filename[:200] or "—", created_by_id=actor.id, created_at=clock.now())
    db.session.add(job)
    db.session.flush()
    if background.runs_inline():  # tests: in the request's transaction
        run_import_job(job.id, data)
        return job
    job_id = job.id
    background.start(
        lambda: run_import_job(job_id, data, _write_progress),
        lambda err: _finish_failed(job_id, err),
        "import job",
        heartbeat=(lambda: _beat(job_id), HEARTBEAT_SECONDS),
    )
    return job


# A worker that dies (killed, out of memory, the host restarted) leaves its job queued or running, and the page would
# say 导入中 forever: its heartbeat stops, and a job whose last heartbeat is older than the lease is marked failed.
# Nothing of it was written: the import's one transaction never committed.
HEARTBEAT_SECONDS = 30
STALE_AFTER = timedelta(minutes=5)
UNFINISHED = ("queued", "running")


def _beat(job_id: int) -> None:
    _write_lease(job_id, heartbeat_at=clock.now())


def fail_stale_jobs() -> int:
    """Mark failed every unfinished job whose worker stopped beating (read before the import pages show jobs)."""
    now = clock.now()
    minutes = int(STALE_AFTER.total_seconds() // 60)
    reason = _("导入进程已中断（超过 %(minutes)d 分钟没有进展），未写入任何数据，请重新导入", minutes=minutes)
    stmt = (
        update(ImportJob)
        .where(
            ImportJob.status.in_(UNFINISHED),
            func.coalesce(ImportJob.heartbeat_at, ImportJob.created_at) < now - STALE_AFTER,
        )
        .values(status="error", finished_at=now, report=[{"row": 0, "reason": reason}])
    )
    return int(db.session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def _write_progress(job_id: int, processed: int, total: int) -> None:
    """The import's transaction writes nothing before its bulk writes at the end, so these are never blocked; each
    is also the worker's heartbeat."""
    _write_lease(job_id, processed=processed, total=total, status="running", heartbeat_at=clock.now())


def _write_lease(job_id: int, **values: object) -> None:
    # a job already marked failed as stale stays failed (its page said so): a late write of its worker is ignored
    background.write_progress(ImportJob, job_id, ImportJob.status.in_(UNFINISHED), **values)


def _finish_failed(job_id: int, err: Exception) -> None:
    """Nothing of the file is written; the page says so instead of spinning forever."""
    reason = _("与同时进行的修改冲突") if isinstance(err, IntegrityError) else f"{type(err).__name__}: {err}"[:300]
    job = db.session.get(ImportJob, job_id)
    if job is not None:
        job.status, job.finished_at = "error", clock.now()
        job.report = [{"row": 0, "reason": _("导入失败，未写入任何数据（%(reason)s），请重新导入", reason=reason)}]


def run_import_job(job_id: int, data: bytes, write_progress: Callable[..., None] | None = None) -> ImportJob:
    job = db.session.get(ImportJob, job_id)
    assert job is not None
    spec, started = import_kind(job.kind), time.monotonic()
    if write_progress:
        write_progress(job.id, 0, 0)
    try:
        table = read_table(data, spec.columns, spec.required)
    except Invalid as err:
        job.status, job.report = "refused", [{"row": 0, "reason": err.message}]
        return _finish(job, started)
    total = sum(1 for row in table.rows if row)  # the job row is not touched here: see _write_progress

    def progress(done: int) -> None:
        if write_progress:
            write_progress(job_id, min(done, total), total)

    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    outcome = spec.run(table, progress, actor)
    job.total = job.processed = total
    if outcome.refused:
        job.status, job.report = "refused", outcome.refused
        return _finish(job, started)
    job.status, job.created, job.updated = "done", outcome.created, outcome.updated
    details = {"file": job.filename, "rows": outcome.total, "created": outcome.created, "updated": outcome.updated}
    record_admin_action(actor, f"import.{job.kind}", f"import:{job.id}", details)
    return _finish(job, started)


def _finish(job: ImportJob, started: float) -> ImportJob:
    job.finished_at, job.seconds = clock.now(), round(time.monotonic() - started, 2)
    db.session.flush()
    return job


def get_job(job_id: int) -> ImportJob:
    fail_stale_jobs()
    job = db.session.get(ImportJob, job_id)
    if job is None:
        raise NotFound("导入任务不存在")
    return job


def recent_jobs(limit: int = 20) -> list[ImportJob]:
    fail_stale_jobs()
    return list(db.session.scalars(select(ImportJob).order_by(ImportJob.id.desc()).limit(limit)))
