"""task drafts per person: an unclaimed review task's candidates no longer share one draft, and saving a draft
takes no instance lock (issue 16)

Revision ID: 0016_task_drafts
Revises: 0015_aboard
Create Date: 2026-12-04 17:21:24
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016_task_drafts"
down_revision = "0015_aboard"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["human_task.id"], name=op.f("fk_task_draft_task_id_human_task"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_task_draft_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_draft")),
        sa.UniqueConstraint("task_id", "user_id", name=op.f("uq_task_draft_task_id_user_id")),
    )
    # a task's one draft becomes its owner's: the applicant of an applicant task, else the reviewer who claimed it
    # (a draft of an unclaimed review task, left by a refused submission, has no known author and is not kept)
    op.execute(
        "INSERT INTO task_draft (task_id, user_id, data, saved_at) "
        "SELECT id, COALESCE(user_id, assignee_id), draft, created_at FROM human_task "
        "WHERE draft IS NOT NULL AND CAST(draft AS TEXT) <> 'null' AND COALESCE(user_id, assignee_id) IS NOT NULL"
    )
    # what remains in human_task.draft (the model's `prefill`) is what the task starts with, not anyone's draft
    op.execute("UPDATE human_task SET draft = NULL WHERE COALESCE(user_id, assignee_id) IS NOT NULL")


def downgrade() -> None:
    op.execute(
        "UPDATE human_task SET draft = (SELECT d.data FROM task_draft d WHERE d.task_id = human_task.id "
        "ORDER BY d.saved_at DESC LIMIT 1) WHERE EXISTS (SELECT 1 FROM task_draft d WHERE d.task_id = human_task.id)"
    )
    op.drop_table("task_draft")
