"""Drafts of open tasks, one per task and person (R-JOIN-6): kept by 暂存, by autosave and when a submission fails."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from werkzeug.datastructures import FileStorage

from app import clock
from app.dbwrite import upsert_selected
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


# the draft's row, if the task is open when the statement runs: the check and the write are one statement
_DRAFT_OF_OPEN_TASK = (
    select(
        HumanTask.id.label("task_id"),
        bindparam("user_id", type_=TaskDraft.user_id.type).label("user_id"),
        bindparam("data", type_=TaskDraft.data.type).label("data"),
        bindparam("saved_at", type_=TaskDraft.saved_at.type).label("saved_at"),
    )
    .where(HumanTask.id == bindparam("task_id"), HumanTask.status == "open")
    .with_for_update(read=True)  # FOR SHARE; SQLite leaves it out (keep_draft says why neither needs more)
)


def keep_draft(task: HumanTask, user_id: int, data: dict[str, Any]) -> SavedDraft | None:
    """Insert or replace this person's draft in one statement if the task is still open; None: it was not, and
    nothing was written (save_draft answers 409; a refused submission holds the instance's lock, so its task is
    open; an incident's draft of a task someone ended meanwhile is rightly not kept).

    No draft may outlive its task's completion (the trigger DRAFTS_GO_WITH_COMPLETION deletes the drafts it can
    see), and an autosave takes no instance lock, so the statement itself decides, against a completion at any
    moment (tests/workflow/test_autosave_race.py):
    - PostgreSQL: it reads the task's row FOR SHARE. The completion's UPDATE of status locks the row (FOR NO KEY
      UPDATE), which conflicts with FOR SHARE (FOR KEY SHARE, what the draft's foreign key takes, does not). Written
      first, the draft is committed before the completion's UPDATE may go on, and the trigger's DELETE, a statement
      of its own after that wait, sees the row and deletes it. Updated first, the autosave waits for the completion
      and then reads the row as committed (READ COMMITTED checks the newest version again): completed, nothing is
      written; rolled back, still open, the draft is written.
    - SQLite: a writing statement takes the database's one write lock before it reads (waiting for a completion
      that holds it, busy_timeout) and reads the newest commit, so no completion can commit between the check
      and the write.
    Waited for: on PostgreSQL only a transaction that updates this task's row (its completion; a claim of it, or
    anything else that changes it), never another person's draft, nor another task (two tabs of one person: the
    later upsert waits for the earlier's commit and wins, as before); on SQLite whatever holds the write lock, as
    any write does. The lock is held to the commit, which ends the autosave's request."""
    now = clock.now()
    params = {"task_id": task.id, "user_id": user_id, "data": data, "saved_at": now}
    if not upsert_selected(TaskDraft, _DRAFT_OF_OPEN_TASK, ["task_id", "user_id"], params):
        return None
    return SavedDraft(task.id, data, now)


def upload_store(task: HumanTask, user_id: int) -> Store:
    """How a task form's uploads are stored: keyed per application, person and field, so that a file kept by the
    autosave and sent again with the form (its answer was lost, or the form went before it came), or a returned
    application's file chosen again, is the one row the field already holds: parse_form then adds nothing."""

    def store(upload: FileStorage, field: str) -> dict[str, Any]:
        return as_form_value(store_upload(upload, user_id, key=f"i{task.instance_id}/u{user_id}/{field}"))

    return store
