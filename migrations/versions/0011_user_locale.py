"""the language a person chose with the header switch (issue 10 item 4); NULL: the cookie or the browser decides

Revision ID: 0011_user_locale
Revises: 0010_societies
Create Date: 2026-12-04 17:03:18
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011_user_locale"
down_revision = "0010_societies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("locale")
