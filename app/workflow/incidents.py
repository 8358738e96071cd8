"""Incidents: a step that failed (script over budget or raising, operation error, orgScope resolving to nothing).

The failing request rolls back, so the instance stays at its last wait; the incident row is then written in a
transaction of its own (`record_incident`, called by the error handler and the scheduler) together with the
acting person's form data as their draft. Administrators list open incidents and retry them (app/workflow/retry.py).
"""

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.dbtypes import UTCDateTime
from app.errors import DomainError
from app.extensions import Base, db
from app.i18n import N_
from app.workflow.drafts import keep_draft
from app.workflow.models import HumanTask, ProcessInstance

log = logging.getLogger("memberflow.incidents")

USER_MESSAGE = "系统处理出错，已记录并通知管理员，请稍后再试"
# what the failing engine run was doing; an incident of these kinds can be retried on its instance
ACTION_LABELS = {"start": N_("发起申请"), "submit": N_("提交任务"), "message": N_("发送消息"), "timer": N_("定时触发")}
_STEP = "memberflow.step"  # session.info key: the engine run under way in this transaction
_DEPTH = "memberflow.step_depth"


class Incident(Base):
    __tablename__ = "incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(80))
    spec_key: Mapped[str | None] = mapped_column(String(80))
    # None when starting the application failed: nothing was created
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    human_task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id"))
    bpmn_id: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))  # start | submit | message | timer
    message_name: Mapped[str | None] = mapped_column(String(80))
    error: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # the form data the actor submitted (kept for the retry; also saved as the task's draft)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    occurrences: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    resolution: Mapped[str | None] = mapped_column(String(20))  # retried | dismissed

    __table_args__ = (Index("ix_incident_open", "resolved_at", "created_at"),)

    @property
    def retryable(self) -> bool:
        return self.instance_id is not None and self.action in ("submit", "message", "timer")


class StepFailed(DomainError):
    """An engine step failed for a reason that is not a domain refusal: the request becomes an incident."""

    status = 503

    def __init__(self, error: str, context: dict[str, Any]):
        super().__init__(USER_MESSAGE)
        self.error, self.context = error, context


def begin_step(fn_name: str, version: Any, args: tuple) -> tuple[int, dict[str, Any] | None]:
    """Remember what the engine run about to start does, so that a failure in it or after it can name it.

    Returns what `end_step` needs to give an outer run (one that started this one) its context back.
    """
    outer = (db.session.info.get(_DEPTH, 0), db.session.info.get(_STEP))
    db.session.info[_DEPTH] = outer[0] + 1
    action = {"complete_task": "submit", "send_message": "message", "fire_timers": "timer"}.get(fn_name, fn_name)
    db.session.info[_STEP] = {
        "process_id": version.process_id,
        "spec_key": version.key,
        "action": action,
        "instance_id": None if action == "start" else db.session.info.get("memberflow.locked_instance"),
        "task_uuid": args[3] if action == "submit" else None,
        "data": args[5] if action == "submit" else None,
        "message_name": args[3] if action == "message" else None,
    }
    return outer


def end_step(outer: tuple[int, dict[str, Any] | None]) -> None:
    db.session.info[_DEPTH] = outer[0]
    if outer[0]:  # a nested run ended: failures from here on belong to the outer run again
        db.session.info[_STEP] = outer[1]


def step_failed(error: str, bpmn_id: str | None, **context: Any) -> StepFailed:
    return StepFailed(error, {**db.session.info.get(_STEP, {}), "bpmn_id": bpmn_id, **context})


def record_incident(err: StepFailed, actor_id: int | None) -> Incident:
    """Write (or count again) the incident; call after the failed transaction rolled back, then commit."""
    ctx, now = err.context, clock.now()
    task = None
    if ctx.get("task_uuid"):
        task = db.session.scalars(select(HumanTask).where(HumanTask.task_uuid == ctx["task_uuid"])).first()
    instance_id = task.instance_id if task is not None else ctx.get("instance_id")
    if instance_id is not None and db.session.get(ProcessInstance, instance_id) is None:
        instance_id = None  # the instance was being created by the failed request
    if task is not None and task.status == "open" and ctx.get("data") is not None and actor_id is not None:
        keep_draft(task, actor_id, ctx["data"])  # nothing the person typed is lost
    incident = None
    if instance_id is not None:
        incident = db.session.scalars(
            select(Incident).where(
                Incident.instance_id == instance_id,
                Incident.bpmn_id == ctx.get("bpmn_id"),
                Incident.action == ctx.get("action", "timer"),
                Incident.resolved_at.is_(None),
            )
        ).first()
    if incident is None:
        incident = Incident(
            process_id=ctx.get("process_id", ""),
            spec_key=ctx.get("spec_key"),
            instance_id=instance_id,
            bpmn_id=ctx.get("bpmn_id"),
            action=ctx.get("action", "timer"),
            message_name=ctx.get("message_name"),
            created_at=now,
            occurrences=0,
        )
        db.session.add(incident)
    incident.occurrences += 1
    incident.human_task_id = task.id if task is not None else None
    incident.error, incident.last_at = err.error, now
    if incident.occurrences == 1 or actor_id == incident.actor_id:  # an admin's failed retry keeps actor and data
        incident.actor_id, incident.data = actor_id, ctx.get("data")
    db.session.flush()
    log.error(
        "incident %s: %s %s at %s: %s", incident.id, incident.process_id, incident.action, incident.bpmn_id, err.error
    )
    return incident


def open_incidents() -> list[Incident]:
    stmt = (
        select(Incident)
        .where(Incident.resolved_at.is_(None))
        .order_by(Incident.last_at.desc(), Incident.id.desc())
        .limit(200)
    )
    return list(db.session.scalars(stmt))


def count_open() -> int:
    return db.session.scalar(select(func.count()).select_from(Incident).where(Incident.resolved_at.is_(None))) or 0
