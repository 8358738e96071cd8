"""Basic information a joining application asks for is kept (issue 16): 职务, 所学专业 and 工作单位 on the member record

Revision ID: 0024_polish
Revises: 0023_inbox_perf
Create Date: 2026-12-06 00:10:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024_polish"
down_revision = "0023_inbox_perf"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("major", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("employer", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("employer")
        batch_op.drop_column("major")
        batch_op.drop_column("position")
