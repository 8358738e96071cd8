"""A form's upload is keyed per application, person, field and content (issue 16): a file chosen and sent with the
form at once, kept by the autosave and sent again with the form, is stored as one attachment

Revision ID: 0021_upload_dedupe
Revises: 0020_wb_catalog
Create Date: 2026-12-05 12:40:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021_upload_dedupe"
down_revision = "0020_wb_catalog"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attachment") as batch:
        batch.add_column(sa.Column("upload_key", sa.String(length=255), nullable=True))
    op.create_index("ux_attachment_upload_key", "attachment", ["upload_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_attachment_upload_key", table_name="attachment")
    with op.batch_alter_table("attachment") as batch:
        batch.drop_column("upload_key")
