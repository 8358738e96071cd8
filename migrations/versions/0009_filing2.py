"""firm filing, part 2: member penalties (a suspension in the last three years counts against the firm structure
rule), a filed firm's pending new name and address (firm_change, applied on the finance department's confirmation), a
branch filing's pending head office (head_office_id is set on confirmation)

Revision ID: 0009_filing2
Revises: 0008_facts_indexes
Create Date: 2026-12-04 15:40:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009_filing2"
down_revision = "0008_facts_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_penalty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_member_penalty_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_penalty")),
    )
    with op.batch_alter_table("member_penalty", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_penalty_member_id"), ["member_id"], unique=False)
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("pending_address", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("pending_head_office_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_organization_pending_head_office_id_organization"),
            "organization",
            ["pending_head_office_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_organization_pending_head_office_id_organization"), type_="foreignkey")
        batch_op.drop_column("pending_head_office_id")
        batch_op.drop_column("pending_address")
        batch_op.drop_column("pending_name")
    with op.batch_alter_table("member_penalty", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_penalty_member_id"))
    op.drop_table("member_penalty")
