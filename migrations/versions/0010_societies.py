"""societies and auctioneers: associations as data, organisations belong to one, auction firms in preparation;
auctioneers with their registrations per year, CE and practice records; payment orders and payments (issue 12)

Revision ID: 0010_societies
Revises: 0009_filing2
Create Date: 2026-12-04 15:20:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010_societies"
down_revision = "0009_filing2"
branch_labels = None
depends_on = None

# Before this revision every organisation was the appraisal society's: it becomes a row and adopts them. The
# auctioneers' association is created too (its organisation tree is entered by administrators or the demo).
CAS = {
    "key": "cas",
    "name": "中国资产评估协会",
    "short_name": "中评协",
    "platform_title": "中国资产评估协会 · 会员业务办理平台",
    "sms_signature": "中国资产评估协会",
    "member_number_prefix": "",
    "top_kind": "national_association",
    "role_labels": {
        "firm": "资产评估机构",
        "local_association": "地方协会",
        "national_association": "中国资产评估协会",
        "finance_department": "地方财政部门",
    },
}
CAA = {
    "key": "caa",
    "name": "中国拍卖行业协会",
    "short_name": "中拍协",
    "platform_title": "中国拍卖行业协会 · 拍卖师注册平台",
    "sms_signature": "中国拍卖行业协会",
    "member_number_prefix": "PM",
    "top_kind": "caa",
    "role_labels": {
        "auction_firm": "拍卖企业",
        "provincial_auction_association": "省拍卖行业协会",
        "caa": "中国拍卖行业协会",
    },
}


def upgrade() -> None:
    society = op.create_table(
        "society",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("short_name", sa.String(length=40), nullable=False),
        sa.Column("platform_title", sa.String(length=100), nullable=False),
        sa.Column("sms_signature", sa.String(length=40), nullable=False),
        sa.Column("member_number_prefix", sa.String(length=10), nullable=False),
        sa.Column("role_labels", sa.JSON(), nullable=False),
        sa.Column("top_kind", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_society")),
        sa.UniqueConstraint("key", name=op.f("uq_society_key")),
    )
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("society_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("in_preparation", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f("ix_organization_society_id"), ["society_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_organization_society_id_society"), "society", ["society_id"], ["id"])
    op.create_table(
        "auctioneer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("management_number", sa.String(length=30), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=True),
        sa.Column("branch_member", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["organization.id"], name=op.f("fk_auctioneer_firm_id_organization")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_auctioneer_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auctioneer")),
        sa.UniqueConstraint("management_number", name=op.f("uq_auctioneer_management_number")),
        sa.UniqueConstraint("user_id", name=op.f("uq_auctioneer_user_id")),
    )
    with op.batch_alter_table("auctioneer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auctioneer_firm_id"), ["firm_id"], unique=False)
    op.create_table(
        "auctioneer_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("auctioneer_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["auctioneer_id"], ["auctioneer.id"], name=op.f("fk_auctioneer_year_auctioneer_id_auctioneer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auctioneer_year")),
        sa.UniqueConstraint("auctioneer_id", "year", name=op.f("uq_auctioneer_year_auctioneer_id_year")),
    )
    with op.batch_alter_table("auctioneer_year", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auctioneer_year_auctioneer_id"), ["auctioneer_id"], unique=False)
    op.create_table(
        "auctioneer_ce_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("auctioneer_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("proof_attachment_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("hours > 0 AND hours <= 200", name=op.f("ck_auctioneer_ce_record_hours_range")),
        sa.ForeignKeyConstraint(
            ["auctioneer_id"], ["auctioneer.id"], name=op.f("fk_auctioneer_ce_record_auctioneer_id_auctioneer")
        ),
        sa.ForeignKeyConstraint(
            ["proof_attachment_id"],
            ["attachment.id"],
            name=op.f("fk_auctioneer_ce_record_proof_attachment_id_attachment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auctioneer_ce_record")),
    )
    with op.batch_alter_table("auctioneer_ce_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auctioneer_ce_record_auctioneer_id"), ["auctioneer_id"], unique=False)
    op.create_table(
        "auctioneer_practice_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("auctioneer_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("main_item_type", sa.String(length=20), nullable=False),
        sa.Column("turnover_wan", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint(
            "sessions >= 0 AND sessions <= 10000", name=op.f("ck_auctioneer_practice_record_sessions_range")
        ),
        sa.CheckConstraint(
            "turnover_wan >= 0 AND turnover_wan <= 100000000", name=op.f("ck_auctioneer_practice_record_turnover_range")
        ),
        sa.ForeignKeyConstraint(
            ["auctioneer_id"], ["auctioneer.id"], name=op.f("fk_auctioneer_practice_record_auctioneer_id_auctioneer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auctioneer_practice_record")),
        sa.UniqueConstraint("auctioneer_id", "year", name=op.f("uq_auctioneer_practice_record_auctioneer_id_year")),
    )
    with op.batch_alter_table("auctioneer_practice_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_auctioneer_practice_record_auctioneer_id"), ["auctioneer_id"], unique=False
        )
    op.create_table(
        "payment_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_no", sa.String(length=32), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("payer_user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("payer_name", sa.String(length=50), nullable=False),
        sa.Column("payer_email", sa.String(length=100), nullable=False),
        sa.Column("payer_mobile", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_payment_order_amount_positive")),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["process_instance.id"], name=op.f("fk_payment_order_instance_id_process_instance")
        ),
        sa.ForeignKeyConstraint(
            ["payer_user_id"], ["user_account.id"], name=op.f("fk_payment_order_payer_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_order")),
        sa.UniqueConstraint("order_no", name=op.f("uq_payment_order_order_no")),
    )
    with op.batch_alter_table("payment_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_order_instance_id"), ["instance_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_order_payer_user_id"), ["payer_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_order_status"), ["status"], unique=False)
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("transaction_id", sa.String(length=64), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notification", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["payment_order.id"], name=op.f("fk_payment_order_id_payment_order")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("order_id", name=op.f("uq_payment_order_id")),
        sa.UniqueConstraint("provider", "transaction_id", name=op.f("uq_payment_provider_transaction_id")),
    )
    op.create_table(
        "dev_provider_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_no", sa.String(length=32), nullable=False),
        sa.Column("transaction_id", sa.String(length=64), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dev_provider_payment")),
        sa.UniqueConstraint("order_no", name=op.f("uq_dev_provider_payment_order_no")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_dev_provider_payment_transaction_id")),
    )
    conn = op.get_bind()
    op.bulk_insert(society, [CAS, CAA])
    cas_id = conn.execute(sa.text("SELECT id FROM society WHERE key = 'cas'")).scalar_one()
    conn.execute(sa.text("UPDATE organization SET society_id = :id"), {"id": cas_id})


def downgrade() -> None:
    for table in (
        "dev_provider_payment",
        "payment",
        "payment_order",
        "auctioneer_practice_record",
        "auctioneer_ce_record",
        "auctioneer_year",
        "auctioneer",
    ):
        op.drop_table(table)
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_organization_society_id_society"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_organization_society_id"))
        batch_op.drop_column("in_preparation")
        batch_op.drop_column("society_id")
    op.drop_table("society")
