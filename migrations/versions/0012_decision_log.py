"""decision log: one row per DMN evaluation made while a person acts, replayable against drafts (issue 18)

Revision ID: 0012_decision_log
Revises: 0011_user_locale
Create Date: 2026-12-04 17:00:49.543432
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012_decision_log"
down_revision = "0011_user_locale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("rule_id", sa.String(length=100), nullable=True),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("annotation", sa.String(length=500), nullable=True),
        sa.Column("outputs", sa.JSON(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("process_id", sa.String(length=80), nullable=True),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_decision_record_actor_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["process_instance.id"], name=op.f("fk_decision_record_instance_id_process_instance")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["user_account.id"], name=op.f("fk_decision_record_person_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_record")),
    )
    with op.batch_alter_table("decision_record", schema=None) as batch_op:
        batch_op.create_index("ix_decision_record_decision_at", ["decision_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_record_instance_id"), ["instance_id"], unique=False)
        batch_op.create_index("ix_decision_record_person_at", ["person_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("decision_record", schema=None) as batch_op:
        batch_op.drop_index("ix_decision_record_person_at")
        batch_op.drop_index(batch_op.f("ix_decision_record_instance_id"))
        batch_op.drop_index("ix_decision_record_decision_at")

    op.drop_table("decision_record")
