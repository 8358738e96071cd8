"""accounts: session generation, administrative audit log

Revision ID: 0003_accounts_audit
Revises: 0002_system_state
Create Date: 2026-12-04 14:48:06.206632
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003_accounts_audit"
down_revision = "0002_system_state"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "admin_audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=80), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_admin_audit_entry_actor_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_audit_entry")),
    )
    with op.batch_alter_table("admin_audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_audit_entry_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_admin_audit_entry_target"), ["target"], unique=False)

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("session_generation")

    with op.batch_alter_table("admin_audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_audit_entry_target"))
        batch_op.drop_index(batch_op.f("ix_admin_audit_entry_at"))

    op.drop_table("admin_audit_entry")
