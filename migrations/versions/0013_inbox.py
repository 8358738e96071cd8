"""inbox: saved views per reviewer, indexes for the inbox filters, the association's review due days (issue 15)

Revision ID: 0013_inbox
Revises: 0012_decision_log
Create Date: 2026-12-04 17:00:25.476933
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_inbox"
down_revision = "0012_decision_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_inbox_view",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("sort", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_saved_inbox_view_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_inbox_view")),
        sa.UniqueConstraint("user_id", "name", name="uq_saved_inbox_view_name"),
    )
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.create_index("ix_task_assignee", ["assignee_id", "status"], unique=False)
        batch_op.create_index(
            "ix_task_scope_name", ["status", "role", "organization_id", "applicant_name"], unique=False
        )
        batch_op.create_index(
            "ix_task_inbox_process", ["status", "role", "organization_id", "process_id", "created_at"], unique=False
        )

    with op.batch_alter_table("society", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_days", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("society", schema=None) as batch_op:
        batch_op.drop_column("due_days")

    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_inbox_process")
        batch_op.drop_index("ix_task_scope_name")
        batch_op.drop_index("ix_task_assignee")

    op.drop_table("saved_inbox_view")
