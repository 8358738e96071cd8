"""existing members come aboard: import jobs, bindings, the association's records

Revision ID: 0015_aboard
Revises: 0014_notify
Create Date: 2026-12-04 17:00:54.699111
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015_aboard"
down_revision = "0014_notify"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seconds", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_import_job_created_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
    )
    op.create_table(
        "inspection_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("local_association_id", sa.Integer(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["local_association_id"],
            ["organization.id"],
            name=op.f("fk_inspection_round_local_association_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["user_account.id"], name=op.f("fk_inspection_round_opened_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_round")),
        sa.UniqueConstraint("local_association_id", "year", name="uq_inspection_round_year"),
    )
    op.create_table(
        "member_binding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("new_mobile", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("face_session_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["face_session_id"], ["face_session.id"], name=op.f("fk_member_binding_face_session_id_face_session")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_member_binding_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_binding")),
    )
    with op.batch_alter_table("member_binding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_binding_user_id"), ["user_id"], unique=False)

    op.create_table(
        "credit_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_credit_record_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_record")),
    )
    with op.batch_alter_table("credit_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_record_member_id"), ["member_id"], unique=False)

    op.create_table(
        "dues_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_dues_record_ck_dues_record_amount")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_dues_record_member_id_member")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"], name=op.f("fk_dues_record_recorded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues_record")),
        sa.UniqueConstraint("member_id", "year", name="uq_dues_record_year"),
    )
    with op.batch_alter_table("dues_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dues_record_member_id"), ["member_id"], unique=False)

    op.create_table(
        "inspection_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('in_progress', 'passed', 'deferred', 'failed')",
            name=op.f("ck_inspection_result_ck_inspection_result_status"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["user_account.id"], name=op.f("fk_inspection_result_decided_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_inspection_result_member_id_member")),
        sa.ForeignKeyConstraint(
            ["round_id"], ["inspection_round.id"], name=op.f("fk_inspection_result_round_id_inspection_round")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_result")),
        sa.UniqueConstraint("round_id", "member_id", name="uq_inspection_result_member"),
    )
    with op.batch_alter_table("inspection_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspection_result_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inspection_result_round_id"), ["round_id"], unique=False)

    op.create_table(
        "membership_sanction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("lifted_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('suspension', 'expulsion')", name=op.f("ck_membership_sanction_ck_membership_sanction_kind")
        ),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_membership_sanction_member_id_member")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"], name=op.f("fk_membership_sanction_recorded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_sanction")),
    )
    with op.batch_alter_table("membership_sanction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_sanction_member_id"), ["member_id"], unique=False)

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("legacy_login", sa.String(length=60), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_user_account_legacy_login"), ["legacy_login"])


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_user_account_legacy_login"), type_="unique")
        batch_op.drop_column("legacy_login")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("imported_at")

    with op.batch_alter_table("membership_sanction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_sanction_member_id"))

    op.drop_table("membership_sanction")
    with op.batch_alter_table("inspection_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_result_round_id"))
        batch_op.drop_index(batch_op.f("ix_inspection_result_member_id"))

    op.drop_table("inspection_result")
    with op.batch_alter_table("dues_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dues_record_member_id"))

    op.drop_table("dues_record")
    with op.batch_alter_table("credit_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_record_member_id"))

    op.drop_table("credit_record")
    with op.batch_alter_table("member_binding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_binding_user_id"))

    op.drop_table("member_binding")
    op.drop_table("inspection_round")
    op.drop_table("import_job")
