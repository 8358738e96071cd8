"""notifications: in-app messages (the bell) and each person's SMS switch (issue 15 item 5)

Revision ID: 0014_notify
Revises: 0013_inbox
Create Date: 2026-12-04 17:12:22.290253
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_notify"
down_revision = "0013_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notify_setting",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sms_enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_notify_setting_user_id_user_account")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notify_setting")),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dedupe_key", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["process_instance.id"], name=op.f("fk_notification_instance_id_process_instance")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_notification_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("user_id", "dedupe_key", name="uq_notification_dedupe"),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index("ix_notification_user_unread", ["user_id", "read_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_user_unread")

    op.drop_table("notification")
    op.drop_table("notify_setting")
