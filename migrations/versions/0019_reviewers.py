"""Reviewers (issue 15): the workload dashboard's indexes per organisation; SMS switched off per event; export jobs

Revision ID: 0019_reviewers
Revises: 0018_aboard
Create Date: 2026-12-05 07:10:00
"""

import sqlalchemy as sa
from alembic import op

# every event whose SMS a person can switch off (app/notify/messages.py TEMPLATES), as of this revision
EVENTS = '["returned", "approved", "rejected", "completed", "timer", "digest"]'

# revision identifiers, used by Alembic.
revision = "0019_reviewers"
down_revision = "0018_aboard"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "export_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("export_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_export_job_created_by_id"), ["created_by_id"], unique=False)
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.create_index("ix_task_org_status_due", ["organization_id", "status", "due_at"], unique=False)
        batch_op.create_index(
            "ix_task_org_status_completed", ["organization_id", "status", "completed_at"], unique=False
        )
        batch_op.create_index("ix_task_org_created", ["organization_id", "created_at"], unique=False)
    # one SMS switch for everything becomes one per event: who had switched SMS off has every event off
    with op.batch_alter_table("notify_setting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sms_off", sa.JSON(), nullable=True))
    op.execute(f"UPDATE notify_setting SET sms_off = '{EVENTS}' WHERE NOT sms_enabled")
    op.execute("UPDATE notify_setting SET sms_off = '[]' WHERE sms_enabled")
    with op.batch_alter_table("notify_setting", schema=None) as batch_op:
        batch_op.alter_column("sms_off", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("sms_enabled")


def downgrade() -> None:
    op.drop_table("export_job")
    with op.batch_alter_table("notify_setting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sms_enabled", sa.Boolean(), nullable=True))
    op.execute("UPDATE notify_setting SET sms_enabled = (sms_off IS NULL OR CAST(sms_off AS TEXT) = '[]')")
    with op.batch_alter_table("notify_setting", schema=None) as batch_op:
        batch_op.alter_column("sms_enabled", existing_type=sa.Boolean(), nullable=False)
        batch_op.drop_column("sms_off")
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_org_created")
        batch_op.drop_index("ix_task_org_status_completed")
        batch_op.drop_index("ix_task_org_status_due")
