"""Due BPMN timers: which instances to wake, firing them once, and backing off when one keeps failing."""

from datetime import datetime, timedelta

from sqlalchemy import select, update

from app import clock
from app.engine import runtime
from app.extensions import db
from app.workflow.followups import run_followups
from app.workflow.live import run_on_instance
from app.workflow.mirror import apply_snapshot
from app.workflow.models import HumanTask, ProcessInstance
from app.workflow.steps import audit, flush_or_conflict, lock_instance
from app.workflow.versions import version_of


def fire_instance_timers(instance_id: int) -> bool:
    """Fire whatever timers of one instance are due; idempotent: a second call finds nothing due."""
    instance = lock_instance(instance_id)
    now = clock.now()
    if instance.status != "running" or instance.next_timer_at is None or instance.next_timer_at > now:
        return False
    version = version_of(instance)
    expiring = list(
        db.session.scalars(
            select(HumanTask).where(
                HumanTask.instance_id == instance.id, HumanTask.status == "open", HumanTask.due_at <= now
            )
        )
    )
    snap = run_on_instance(runtime.fire_timers, version, instance)
    apply_snapshot(instance, version, snap, instance.applicant.name, closed_as="timed_out")
    timed_out = [t for t in expiring if t.status == "timed_out"]
    for task in timed_out:  # e.g. the old firm did not act in 7 days: recorded as the BPMN names it
        audit(instance, None, "timer", role=task.role, step=task.name, comment=task.due_note)
    if not timed_out:
        audit(instance, None, "timer", step=instance.current_step)
    flush_or_conflict()
    run_followups()
    return True


def postpone_timer(instance_id: int, delay: timedelta) -> None:
    """Move a failing instance's next wake-up later, so it neither spins nor blocks the due queue."""
    db.session.execute(
        update(ProcessInstance)
        .where(ProcessInstance.id == instance_id)
        .values(next_timer_at=clock.now() + delay, row_version=ProcessInstance.row_version + 1)
    )


def due_instance_ids(limit: int = 100) -> list[int]:
    stmt = (
        select(ProcessInstance.id)
        .where(ProcessInstance.status == "running", ProcessInstance.next_timer_at <= clock.now())
        .order_by(ProcessInstance.next_timer_at)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def next_timer_due() -> datetime | None:
    """When the earliest waiting timer is due: one entry of the next_timer_at index, cheap to ask often."""
    stmt = (
        select(ProcessInstance.next_timer_at)
        .where(ProcessInstance.status == "running", ProcessInstance.next_timer_at.is_not(None))
        .order_by(ProcessInstance.next_timer_at)
        .limit(1)
    )
    return db.session.scalar(stmt)
