"""Import jobs' worker lease (issue 14): heartbeat_at, so a job whose worker died is marked failed; the identity
document type of an account (id_type: mainland ID card, Hong Kong/Macau or Taiwan permit, passport)

Revision ID: 0018_aboard
Revises: 0017_auc_personal
Create Date: 2026-12-05 07:10:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018_aboard"
down_revision = "0017_auc_personal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_type", sa.String(length=20), server_default="id_card", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("id_type")
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
