"""incident: failed engine steps administrators see and retry

Revision ID: 0005_incident
Revises: 0004_integrity
Create Date: 2026-12-04 15:18:47.809871
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005_incident"
down_revision = "0004_integrity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.String(length=80), nullable=False),
        sa.Column("spec_key", sa.String(length=80), nullable=True),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("human_task_id", sa.Integer(), nullable=True),
        sa.Column("bpmn_id", sa.String(length=80), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("message_name", sa.String(length=80), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"], name=op.f("fk_incident_actor_id_user_account")),
        sa.ForeignKeyConstraint(
            ["human_task_id"], ["human_task.id"], name=op.f("fk_incident_human_task_id_human_task")
        ),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["process_instance.id"], name=op.f("fk_incident_instance_id_process_instance")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"], ["user_account.id"], name=op.f("fk_incident_resolved_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_instance_id"), ["instance_id"], unique=False)
        batch_op.create_index("ix_incident_open", ["resolved_at", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_open")
        batch_op.drop_index(batch_op.f("ix_incident_instance_id"))

    op.drop_table("incident")
