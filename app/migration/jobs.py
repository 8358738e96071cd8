"""A migration started from the web (issue 17 item 5) runs in the background, as imports and large exports do
(app/background.py): the request commits a job row and answers with its progress page at once; the worker moves
the instances (app/migration/apply.py: one transaction each) and writes its progress on the row. Audited when it
ends, as the command line's migration is, with the job's number; a failure too."""

from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import func, select, update

from app import background, clock
from app.accounts.models import User
from app.admin.audit import record_admin_action
from app.errors import NotFound
from app.extensions import db
from app.migration.apply import MigrationReport, migrate_instances
from app.migration.models import MigrationJob
from app.migration.plan import pair, running_ids, short

HEARTBEAT_SECONDS = 30
STALE_AFTER = timedelta(minutes=5)
UNFINISHED = ("queued", "running")


def start_migration(actor: User, process_id: str, from_label: str, to_label: str, chosen: list[int]) -> MigrationJob:
    """The job row for moving `chosen` instances of A to B, committed, with its worker started (tests: done now)."""
    old, new = pair(process_id, from_label, to_label)  # refused now, not in the worker, when a version is unknown
    total = len(running_ids(process_id, old.key, chosen, 0, len(chosen)))
    job = MigrationJob(
        process_id=process_id,
        from_key=old.key,
        to_key=new.key,
        instance_ids=sorted(chosen),
        total=total,
        created_by_id=actor.id,
        created_at=clock.now(),
        heartbeat_at=clock.now(),
        skipped={},
    )
    db.session.add(job)
    db.session.flush()
    job_id = job.id
    if background.runs_inline():  # tests: in the request
        db.session.commit()
        run_migration_job(job_id)
        return job
    background.start(
        lambda: run_migration_job(job_id),
        lambda err: _failed(job_id, err),
        "migration job",
        heartbeat=(lambda: _write(job_id, heartbeat_at=clock.now()), HEARTBEAT_SECONDS),
    )
    return job


def run_migration_job(job_id: int) -> None:
    job = db.session.get(MigrationJob, job_id)
    assert job is not None
    actor = db.session.get(User, job.created_by_id)
    process_id, from_key, to_key, chosen = job.process_id, job.from_key, job.to_key, job.instance_ids
    _write(job_id, status="running", heartbeat_at=clock.now())

    def progress(report: MigrationReport) -> None:
        _write(job_id, moved=len(report.moved), skipped_count=len(report.skipped), heartbeat_at=clock.now())

    report = migrate_instances(
        process_id, short(from_key), short(to_key), actor, chosen, progress=progress, audit_details={"job": job_id}
    )
    job = db.session.get(MigrationJob, job_id)
    assert job is not None
    if job.status in UNFINISHED:  # not marked failed as stale meanwhile
        job.status, job.finished_at = "done", clock.now()
    job.moved, job.skipped_count = len(report.moved), len(report.skipped)
    job.skipped = {str(k): v for k, v in sorted(report.skipped.items())}
    db.session.flush()


def _write(job_id: int, **values: object) -> None:
    # a job already marked failed as stale stays failed (its page said so): a late write of its worker is ignored
    background.write_progress(MigrationJob, job_id, MigrationJob.status.in_(UNFINISHED), **values)


def _failed(job_id: int, err: Exception) -> None:
    job = db.session.get(MigrationJob, job_id)
    if job is None:
        return
    job.status, job.finished_at, job.error = "error", clock.now(), f"{type(err).__name__}: {err}"[:300]
    details = {"job": job_id, "from": short(job.from_key), "to": short(job.to_key), "error": job.error}
    record_admin_action(db.session.get(User, job.created_by_id), "process.migrate", job.process_id, details)


def fail_stale_jobs() -> int:
    """Mark failed every unfinished job whose worker stopped beating (read before a job's page shows it). The
    instances it moved stay moved (each committed on its own); the others stay on their version."""
    now = clock.now()
    stmt = (
        update(MigrationJob)
        .where(
            MigrationJob.status.in_(UNFINISHED),
            func.coalesce(MigrationJob.heartbeat_at, MigrationJob.created_at) < now - STALE_AFTER,
        )
        .values(status="error", finished_at=now, error=gettext("迁移进程已中断（超过 5 分钟没有进展）"))
    )
    return int(db.session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def job_of(process_id: str, job_id: int) -> MigrationJob:
    job = db.session.get(MigrationJob, job_id)
    if job is None or job.process_id != process_id:
        raise NotFound(gettext("没有这个迁移任务"))
    return job


def recent_jobs(process_id: str, limit: int = 5) -> list[MigrationJob]:
    stmt = select(MigrationJob).where(MigrationJob.process_id == process_id).order_by(MigrationJob.id.desc())
    return list(db.session.scalars(stmt.limit(limit)))
