"""Auctioneer personal data (个人资料): the first registration form's fields, copied on approval (issue 12)

Revision ID: 0017_auc_personal
Revises: 0016_task_drafts
Create Date: 2026-12-04 17:18:25.088284
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017_auc_personal"
down_revision = "0016_task_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("auctioneer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("gender", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("id_number", sa.String(length=18), nullable=True))
        batch_op.add_column(sa.Column("id_type", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("id_valid_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("auction_since", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("political_status", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("ethnicity", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("nationality", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("education", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("postcode", sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("email", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("residence", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("address", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("auctioneer", schema=None) as batch_op:
        batch_op.drop_column("address")
        batch_op.drop_column("residence")
        batch_op.drop_column("email")
        batch_op.drop_column("phone")
        batch_op.drop_column("postcode")
        batch_op.drop_column("education")
        batch_op.drop_column("nationality")
        batch_op.drop_column("ethnicity")
        batch_op.drop_column("political_status")
        batch_op.drop_column("auction_since")
        batch_op.drop_column("birth_date")
        batch_op.drop_column("id_valid_until")
        batch_op.drop_column("id_type")
        batch_op.drop_column("id_number")
        batch_op.drop_column("gender")
        batch_op.drop_column("name")
