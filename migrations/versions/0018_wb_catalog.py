"""The workbench's catalog (issue 17): every published version of every BPMN, DMN and form file, the live
version per file, and the analysts' drafts

Revision ID: 0018_wb_catalog
Revises: 0017_auc_personal
Create Date: 2026-12-05 07:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018_wb_catalog"
down_revision = "0017_auc_personal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "spec_file_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=100), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_spec_file_version_author_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spec_file_version")),
        sa.UniqueConstraint("kind", "name", "number", name="uq_spec_file_version_number"),
    )
    op.create_index("ix_spec_file_version_hash", "spec_file_version", ["kind", "name", "hash"], unique=False)
    op.create_table(
        "spec_live",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["spec_file_version.id"], name=op.f("fk_spec_live_version_id_spec_file_version")
        ),
        sa.PrimaryKeyConstraint("kind", "name", name=op.f("pk_spec_live")),
    )
    op.create_table(
        "spec_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("base_version_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_version_id"], ["spec_file_version.id"], name=op.f("fk_spec_draft_base_version_id_spec_file_version")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_spec_draft_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spec_draft")),
        sa.UniqueConstraint("user_id", "kind", "name", name="uq_spec_draft_user_file"),
    )
    op.create_index(op.f("ix_spec_draft_user_id"), "spec_draft", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_spec_draft_user_id"), table_name="spec_draft")
    op.drop_table("spec_draft")
    op.drop_table("spec_live")
    op.drop_index("ix_spec_file_version_hash", table_name="spec_file_version")
    op.drop_table("spec_file_version")
