"""Process instances and their relational mirror: human tasks, audit events, pinned spec versions."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import DDL, JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base

if TYPE_CHECKING:
    from app.accounts.models import User


class SpecVersion(Base):
    """One parsed process version, keyed by the content hash of its BPMN, DMN and form files."""

    __tablename__ = "spec_version"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    process_id: Mapped[str] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(String(200))
    bpmn_xml: Mapped[str] = mapped_column(Text)
    spec_json: Mapped[str] = mapped_column(Text)
    forms_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class ProcessInstance(Base):
    __tablename__ = "process_instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(80), index=True)
    spec_key: Mapped[str] = mapped_column(ForeignKey("spec_version.key"))
    title: Mapped[str] = mapped_column(String(200))
    # running | completed | rejected | abandoned | error
    status: Mapped[str] = mapped_column(String(20), default="running")
    outcome: Mapped[str | None] = mapped_column(String(200))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    serializer_version: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(Text)
    # bpmn ids of finished and waiting/ready steps, for the progress diagram without deserializing
    progress: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # names of the messages the instance waits for now (e.g. "withdraw"): what the applicant may do
    waiting_messages: Mapped[list[str]] = mapped_column(JSON, default=list)
    current_step: Mapped[str | None] = mapped_column(String(200))
    next_timer_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # R-ONE-1: the person the application is about (the applicant, or for 离职人员转入协会代管 the departed
    # appraiser an operation names) and its start event's exclusiveGroup or else its process id; None for
    # the system's watches. At most one running instance per pair: uq_instance_one_running.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    exclusive_key: Mapped[str | None] = mapped_column(String(80))

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        Index("ix_instance_applicant_created", "applicant_id", "created_at"),
        Index(
            "uq_instance_one_running",
            "subject_id",
            "exclusive_key",
            unique=True,
            sqlite_where=text("status = 'running'"),
            postgresql_where=text("status = 'running'"),
        ),
        # eligibility facts: "has a running application of these processes" is one bounded probe per person
        Index("ix_instance_applicant_status", "applicant_id", "status", "process_id"),
    )

    tasks: Mapped[list["HumanTask"]] = relationship(back_populates="instance", order_by="HumanTask.id")
    applicant: Mapped["User"] = relationship(foreign_keys=[applicant_id])


# The task indexes that serve the open work hold open tasks only, the handling times' index completed ones (issue 13):
# a completion deletes the ended task's entries instead of moving them into a part that no query there reads, and
# those indexes stay the size of the open work, not of the history (at 20,000 instances a completion's commit wrote
# 39-48 WAL pages, most of them task index pages: scripts/bench_wal_pages.py --instances 20000). The status is
# their last column: PostgreSQL drops a condition the index's WHERE implies, so a leading status column would leave
# it no column to seek on (it scanned the whole index); SQLite reads an index alone (covering) only if it holds
# every column the query names, the status included.
def _only(status: str) -> dict[str, Any]:
    return {"sqlite_where": text(f"status = '{status}'"), "postgresql_where": text(f"status = '{status}'")}


OPEN_ONLY, COMPLETED_ONLY = _only("open"), _only("completed")


class HumanTask(Base):
    """A READY user task, mirrored so that inboxes never deserialize a workflow."""

    __tablename__ = "human_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(80))
    task_uuid: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    # tasks of the applicant lane belong to one user rather than to an organisation
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    form_key: Mapped[str | None] = mapped_column(String(80))
    # open | completed | withdrawn (an applicant action took it back) | timed_out (its timer fired)
    # | cancelled (the process left it otherwise, e.g. a system message)
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # what happens at due_at, in the analyst's words (the timer boundary event's name)
    due_note: Mapped[str | None] = mapped_column(String(200))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # what the task starts with, from the process data (a returned application's answers, earlier uploads);
    # what a person types over it is their own draft (TaskDraft); the column keeps its baseline name
    prefill: Mapped[dict[str, Any] | None] = mapped_column("draft", JSON)
    # the application's title and applicant name, copied so the inbox needs no join
    title: Mapped[str] = mapped_column(String(200))
    applicant_name: Mapped[str] = mapped_column(String(100))

    instance: Mapped[ProcessInstance] = relationship(back_populates="tasks")

    __table_args__ = (
        # the inbox's sort order (time, then id) whole, so that a page is read in order and stops at its end: with
        # a column between the time and the id SQLite sorted each page again and at 20,000 instances preferred
        # ix_task_org_created (issue 13); then the claim column: "unclaimed" / "mine" (a filter, a saved view's tab
        # count) is read from the index alone, not from up to a thousand task rows (4 ms of GET /inbox per such tab)
        Index("ix_task_inbox", "role", "organization_id", "created_at", "id", "assignee_id", "status", **OPEN_ONLY),
        Index("ix_task_inbox_due", "role", "organization_id", "due_at", "id", "assignee_id", "status", **OPEN_ONLY),
        # inbox filters (issue 15): one process's tasks in a scope, and what a reviewer has claimed
        Index(
            "ix_task_inbox_process", "role", "organization_id", "process_id", "created_at", "id", "status", **OPEN_ONLY
        ),
        Index("ix_task_assignee", "assignee_id", "status", **OPEN_ONLY),
        # the name search reads the scope's names and task ids from the index alone (app/workflow/inbox.py); the id
        # is SQLite's rowid in every index anyway, PostgreSQL needs it here to answer without the task rows
        Index("ix_task_scope_name", "role", "organization_id", "applicant_name", "id", "status", **OPEN_ONLY),
        Index("ix_task_user", "user_id", "created_at", "status", **OPEN_ONLY),
        Index("ix_task_done_by", "completed_by_id", "completed_at"),
        # the workload dashboard (app/workflow/workload.py): per organisation, open/overdue, done, arrivals; the
        # step columns make them covering, so the counts and handling times never read the task rows
        Index(
            "ix_task_org_open_steps", "organization_id", "due_at", "role", "process_id", "name", "status", **OPEN_ONLY
        ),
        Index(
            "ix_task_org_done_times",
            "organization_id",
            "completed_at",
            "role",
            "process_id",
            "name",
            "created_at",
            "status",
            **COMPLETED_ONLY,
        ),
        Index("ix_task_org_created", "organization_id", "created_at"),
    )


class AuditEvent(Base):
    """Who did what to an instance, when, and why."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_name: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(40))
    # started | submitted | approved | returned | rejected | withdrawn | abandoned | claimed | unclaimed
    # | completed | system
    action: Mapped[str] = mapped_column(String(30))
    step: Mapped[str | None] = mapped_column(String(200))
    comment: Mapped[str | None] = mapped_column(Text)
    # the form data submitted at this step: reviewers read the application from here, history included
    form_key: Mapped[str | None] = mapped_column(String(80))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    # R-TRF-5: a person's earlier uploads, newest first, read by their eligibility facts
    __table_args__ = (Index("ix_audit_actor_role_at", "actor_id", "role", "at"),)


class TaskDraft(Base):
    """What one person typed into an open task and has not sent yet (R-JOIN-6): one row per task and person, so
    the candidate reviewers of an unclaimed task keep drafts of their own; written without the instance lock."""

    __tablename__ = "task_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("task_id", "user_id"),)


# A completed task's drafts go with it, in the database, by the statement that completes it (R-JOIN-6): nobody can
# send them any more. Issue 13: the completion's DELETE of its own was a statement per step. The trigger deletes the
# drafts committed before it runs; an autosave's write checks in its own statement that the task is still open (and
# on PostgreSQL holds the task's row FOR SHARE until it commits, which the completion's UPDATE waits for), so no draft
# is written after, or unseen by, the trigger (app/workflow/drafts.py, keep_draft).
# A migration that rebuilds human_task or task_draft on SQLite (op.batch_alter_table copies the table) loses the
# trigger with the old table, or fails copying task_draft while it names it: drop it first and create it again after
# (migrations/versions/0028_draft_trigger.py has both statements).
DRAFTS_GO_WITH_COMPLETION = {
    "sqlite": [
        "CREATE TRIGGER trg_task_completed_drops_drafts AFTER UPDATE OF status ON human_task FOR EACH ROW"
        " WHEN NEW.status = 'completed' AND OLD.status <> 'completed'"
        " BEGIN DELETE FROM task_draft WHERE task_id = NEW.id; END"
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION task_completed_drops_drafts() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN DELETE FROM task_draft WHERE task_id = NEW.id; RETURN NULL; END $$",
        "CREATE TRIGGER trg_task_completed_drops_drafts AFTER UPDATE OF status ON human_task FOR EACH ROW"
        " WHEN (NEW.status = 'completed' AND OLD.status <> 'completed')"
        " EXECUTE FUNCTION task_completed_drops_drafts()",
    ],
}
for _dialect, _statements in DRAFTS_GO_WITH_COMPLETION.items():
    for _statement in _statements:
        event.listen(TaskDraft.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))
