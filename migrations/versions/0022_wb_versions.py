"""Migrations started from the web run in the background (issue 17 item 5): their progress row

Revision ID: 0022_wb_versions
Revises: 0021_upload_dedupe
Create Date: 2026-12-05 12:40:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022_wb_versions"
down_revision = "0021_upload_dedupe"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "migration_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.String(length=80), nullable=False),
        sa.Column("from_key", sa.String(length=80), nullable=False),
        sa.Column("to_key", sa.String(length=80), nullable=False),
        sa.Column("instance_ids", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("moved", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_migration_job_created_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_migration_job")),
    )
    op.create_index(op.f("ix_migration_job_process_id"), "migration_job", ["process_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_migration_job_process_id"), table_name="migration_job")
    op.drop_table("migration_job")
