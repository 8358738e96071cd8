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

# name -> (columns, the status the index keeps); the columns stay (the status first: SQLite reads an index alone only
# if it holds every column the query names). Plain create/drop index statements, no batch copy of human_task (which
# would drop 0028's trigger on SQLite).
CHANGED = {
    "ix_task_inbox": (["status", "role", "organization_id", "created_at", "id", "assignee_id"], "open"),
    "ix_task_inbox_due": (["status", "role", "organization_id", "due_at", "id", "assignee_id"], "open"),
    "ix_task_inbox_process": (["status", "role", "organization_id", "process_id", "created_at", "id"], "open"),
    "ix_task_assignee": (["assignee_id", "status"], "open"),
    "ix_task_scope_name": (["status", "role", "organization_id", "applicant_name", "id"], "open"),
    "ix_task_user": (["status", "user_id", "created_at"], "open"),
    "ix_task_org_open_steps": (["organization_id", "status", "due_at", "role", "process_id", "name"], "open"),
    "ix_task_org_done_times": (
        ["organization_id", "status", "completed_at", "role", "process_id", "name", "created_at"],
        "completed",
    ),
}


def upgrade() -> None:
    # issue 13: a completion moved the ended task's entries from the "open" to the "completed" part of each of these
    # indexes, a part no query that reads them asks for, and they grew with the history. Now an ended task leaves
    # the open-work indexes (and enters the handling times' one): at 20,000 instances a completion's commit wrote
    # 32-41 WAL pages instead of 39-48 (scripts/bench_wal_pages.py --instances 20000).
    for name, (columns, status) in CHANGED.items():
        op.drop_index(name, table_name="human_task")
        where = sa.text(f"status = '{status}'")
        op.create_index(name, "human_task", columns, unique=False, sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for name, (columns, _status) in CHANGED.items():
        op.drop_index(name, table_name="human_task")
        op.create_index(name, "human_task", columns, unique=False)
