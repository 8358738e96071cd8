"""Drafts of open tasks, one per task and person (R-JOIN-6): kept by 暂存, by autosave and when a submission fails."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from app import clock
from app.dbwrite import upsert
from app.extensions import db
from app.workflow.models import HumanTask, TaskDraft


@dataclass(frozen=True)
class SavedDraft:
    id: int  # the task's
    draft: dict[str, Any]
    saved_at: datetime


def draft_of(task: HumanTask, user_id: int) -> dict[str, Any] | None:
    """This person's draft of the task, else what the task starts with; None when there is neither."""
    stmt = select(TaskDraft.data).where(TaskDraft.task_id == task.id, TaskDraft.user_id == user_id)
    return db.session.scalar(stmt) or task.prefill


def keep_draft(task: HumanTask, user_id: int, data: dict[str, Any]) -> SavedDraft:
    """Insert or replace this person's draft in one statement: two tabs saving at once both succeed (the later
    wins), other candidates' drafts are untouched, and neither the instance lock nor its row version is taken."""
    now = clock.now()
    upsert(TaskDraft, {"task_id": task.id, "user_id": user_id, "data": data, "saved_at": now}, ["task_id", "user_id"])
    return SavedDraft(task.id, data, now)


def drop_drafts(task: HumanTask) -> None:
    """Everyone's drafts of a task that has been completed: nobody can send them any more.

    Sent at once, without flushing the completion's pending changes first (they go in the service's one flush:
    a second flush would cost a completion a unit of work of its own) and without searching the session for
    drafts to expire (no request reads a draft after completing its task)."""
    with db.session.no_autoflush:
        db.session.execute(
            delete(TaskDraft).where(TaskDraft.task_id == task.id).execution_options(synchronize_session=False)
        )
