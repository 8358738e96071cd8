"""The task indexes of the open work hold open tasks only, the handling times' index completed ones

Revision ID: 0029_task_partial_indexes
Revises: 0028_draft_trigger
Create Date: 2026-12-06 23:20:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0029_task_partial_indexes"
down_revision = "0028_draft_trigger"
branch_labels = None
depends_on = None

# name -> (columns before, columns after, the status the index keeps). The status moves last: PostgreSQL drops a
# condition the index's WHERE implies, so a leading status column would leave it no column to seek on; SQLite reads
# an index alone only if it holds every column the query names. Plain create/drop index statements, no batch copy
# of human_task (which would drop 0028's trigger on SQLite).
CHANGED = {
    "ix_task_inbox": (
        ["status", "role", "organization_id", "created_at", "id", "assignee_id"],
        ["role", "organization_id", "created_at", "id", "assignee_id", "status"],
        "open",
    ),
    "ix_task_inbox_due": (
        ["status", "role", "organization_id", "due_at", "id", "assignee_id"],
        ["role", "organization_id", "due_at", "id", "assignee_id", "status"],
        "open",
    ),
    "ix_task_inbox_process": (
        ["status", "role", "organization_id", "process_id", "created_at", "id"],
        ["role", "organization_id", "process_id", "created_at", "id", "status"],
        "open",
    ),
    "ix_task_assignee": (["assignee_id", "status"], ["assignee_id", "status"], "open"),
    "ix_task_scope_name": (
        ["status", "role", "organization_id", "applicant_name", "id"],
        ["role", "organization_id", "applicant_name", "id", "status"],
        "open",
    ),
    "ix_task_user": (["status", "user_id", "created_at"], ["user_id", "created_at", "status"], "open"),
    "ix_task_org_open_steps": (
        ["organization_id", "status", "due_at", "role", "process_id", "name"],
        ["organization_id", "due_at", "role", "process_id", "name", "status"],
        "open",
    ),
    "ix_task_org_done_times": (
        ["organization_id", "status", "completed_at", "role", "process_id", "name", "created_at"],
        ["organization_id", "completed_at", "role", "process_id", "name", "created_at", "status"],
        "completed",
    ),
}


def upgrade() -> None:
    # issue 13: a completion moved the ended task's entries from the "open" to the "completed" part of each of these
    # indexes, a part no query that reads them asks for, and they grew with the history. Now an ended task leaves
    # the open-work indexes (and enters the handling times' one): at 20,000 instances a completion's commit wrote
    # 32-41 WAL pages instead of 39-48 (scripts/bench_wal_pages.py --instances 20000).
    for name, (_before, after, status) in CHANGED.items():
        op.drop_index(name, table_name="human_task")
        where = sa.text(f"status = '{status}'")
        op.create_index(name, "human_task", after, unique=False, sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for name, (before, _after, _status) in CHANGED.items():
        op.drop_index(name, table_name="human_task")
        op.create_index(name, "human_task", before, unique=False)
