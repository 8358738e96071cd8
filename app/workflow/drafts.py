"""Drafts of open tasks, one per task and person (R-JOIN-6): kept by 暂存, by autosave and when a submission fails."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app import clock
from app.dbwrite import upsert
from app.extensions import db
from app.files.services import as_form_value, store_upload
from app.formkit.parse import Store
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


def upload_store(task: HumanTask, user_id: int) -> Store:
    """How a task form's uploads are stored: keyed per application, person and field, so that a file kept by the
    autosave and sent again with the form (its answer was lost, or the form went before it came), or a returned
    application's file chosen again, is the one row the field already holds: parse_form then adds nothing."""

    def store(upload: FileStorage, field: str) -> dict[str, Any]:
        return as_form_value(store_upload(upload, user_id, key=f"i{task.instance_id}/u{user_id}/{field}"))

    return store
