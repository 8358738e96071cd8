"""Reviewers (issue 15): the workload dashboard's indexes per organisation; SMS switched off per event

Revision ID: 0018_reviewers
Revises: 0017_auc_personal
Create Date: 2026-12-05 07:10:00
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0018_reviewers"
down_revision = "0017_auc_personal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.create_index("ix_task_org_status_due", ["organization_id", "status", "due_at"], unique=False)
        batch_op.create_index(
            "ix_task_org_status_completed", ["organization_id", "status", "completed_at"], unique=False
        )
        batch_op.create_index("ix_task_org_created", ["organization_id", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_org_created")
        batch_op.drop_index("ix_task_org_status_completed")
        batch_op.drop_index("ix_task_org_status_due")
