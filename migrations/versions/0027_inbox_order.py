"""The inbox's scope indexes carry its whole sort order (time, then task id) before the claim column

Revision ID: 0027_inbox_order
Revises: 0026_inbox_page
Create Date: 2026-12-06 03:30:00
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0027_inbox_order"
down_revision = "0026_inbox_page"
branch_labels = None
depends_on = None

SCOPE = ["status", "role", "organization_id"]


def upgrade() -> None:
    # The inbox orders by time and then id. With assignee_id between them (0026) the index no longer gave that order:
    # SQLite sorted each page's ties again and, at 20,000 instances, walked ix_task_org_created instead (the bench's
    # "oldest" page 0.85 → 1.33 ms); PostgreSQL sorted the page after the index scan. The id before the claim column
    # gives the whole order again and keeps the claim counts reading the index alone.
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_inbox")
        batch_op.drop_index("ix_task_inbox_due")
        batch_op.drop_index("ix_task_inbox_process")
        batch_op.create_index("ix_task_inbox", [*SCOPE, "created_at", "id", "assignee_id"], unique=False)
        batch_op.create_index("ix_task_inbox_due", [*SCOPE, "due_at", "id", "assignee_id"], unique=False)
        batch_op.create_index("ix_task_inbox_process", [*SCOPE, "process_id", "created_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_inbox_process")
        batch_op.drop_index("ix_task_inbox_due")
        batch_op.drop_index("ix_task_inbox")
        batch_op.create_index("ix_task_inbox_process", [*SCOPE, "process_id", "created_at"], unique=False)
        batch_op.create_index("ix_task_inbox_due", [*SCOPE, "due_at", "assignee_id"], unique=False)
        batch_op.create_index("ix_task_inbox", [*SCOPE, "created_at", "assignee_id"], unique=False)
