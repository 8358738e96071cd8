"""firm filing: filing data on organizations, the firm's people

Revision ID: 0006_firm_filing
Revises: 0005_incident
Create Date: 2026-12-04 15:21:13.250908
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006_firm_filing"
down_revision = "0005_incident"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "firm_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("person_kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("is_shareholder", sa.Boolean(), nullable=False),
        sa.Column("is_appraiser", sa.Boolean(), nullable=False),
        sa.Column("is_other_field_appraiser", sa.Boolean(), nullable=False),
        sa.Column("is_executive", sa.Boolean(), nullable=False),
        sa.Column("other_field_type", sa.String(length=40), nullable=True),
        sa.Column("certificate_number", sa.String(length=40), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("filed", sa.Boolean(), nullable=False),
        sa.Column("removal_pending", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["organization.id"], name=op.f("fk_firm_person_firm_id_organization")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_firm_person_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_firm_person")),
        sa.UniqueConstraint("firm_id", "credit_code", name="uq_firm_person_credit_code"),
        sa.UniqueConstraint("firm_id", "id_number", name="uq_firm_person_id_number"),
    )
    with op.batch_alter_table("firm_person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_firm_person_firm_id"), ["firm_id"], unique=False)

    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("firm_form", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("address", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("legal_representative", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("filed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("filing_history", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("filing_applicant_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_organization_filing_applicant_id_user_account"),
            "user_account",
            ["filing_applicant_id"],
            ["id"],
        )
    # existing organisations have no filing history yet: an empty list, then the column is required
    op.execute("UPDATE organization SET filing_history = '[]' WHERE filing_history IS NULL")
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.alter_column("filing_history", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_organization_filing_applicant_id_user_account"), type_="foreignkey")
        batch_op.drop_column("filing_applicant_id")
        batch_op.drop_column("filing_history")
        batch_op.drop_column("filed_at")
        batch_op.drop_column("legal_representative")
        batch_op.drop_column("address")
        batch_op.drop_column("firm_form")

    with op.batch_alter_table("firm_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_firm_person_firm_id"))

    op.drop_table("firm_person")
