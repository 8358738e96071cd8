"""The firm search of an organisation field (issues 13, 16): an index the search reads alone

Revision ID: 0025_firm_picker
Revises: 0024_polish
Create Date: 2026-12-06 00:00:00
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0025_firm_picker"
down_revision = "0024_polish"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.create_index("ix_organization_choice", ["kind", "filed", "name", "credit_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index("ix_organization_choice")
