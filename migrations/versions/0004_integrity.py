"""one running application per person and group, one active member, one current certificate

Revision ID: 0004_integrity
Revises: 0003_accounts_audit
Create Date: 2026-12-04 15:08:44.562715
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004_integrity"
down_revision = "0003_accounts_audit"
branch_labels = None
depends_on = None


# the start events' exclusiveGroup at this revision (processes/*.bpmn); a process without one claims its own id,
# system watches (custody_watch, prefiling_watch) claim nothing, and departed_custody claims the departed
# appraiser, whom only its engine state names: its running rows are left unclaimed (they blocked nothing before)
MEMBER_CHANGE = (
    "branch_transfer",
    "custody",
    "prefiling_transfer",
    "resign",
    "status_full",
    "status_non_practicing",
    "status_practicing",
    "transfer",
)
UNCLAIMED = ("custody_watch", "prefiling_watch", "departed_custody")


def _backfill_claims() -> None:
    member_change = ", ".join(f"'{p}'" for p in MEMBER_CHANGE)
    unclaimed = ", ".join(f"'{p}'" for p in UNCLAIMED)
    op.execute(
        f"""UPDATE process_instance SET subject_id = applicant_id,
               exclusive_key = CASE WHEN process_id IN ({member_change}) THEN 'member_change' ELSE process_id END
           WHERE status = 'running' AND process_id NOT IN ({unclaimed})"""
    )
    # duplicates that ran before the database refused them keep running; only the oldest holds the claim
    op.execute(
        """UPDATE process_instance SET subject_id = NULL, exclusive_key = NULL
           WHERE status = 'running' AND exclusive_key IS NOT NULL AND EXISTS (
               SELECT 1 FROM process_instance AS older
               WHERE older.status = 'running' AND older.subject_id = process_instance.subject_id
                 AND older.exclusive_key = process_instance.exclusive_key AND older.id < process_instance.id)"""
    )


def _repair_rows() -> None:
    # a completed task used to be stored as cancelled (issue 9 item 1): whoever completed it is on the row
    op.execute("UPDATE human_task SET status = 'completed' WHERE status = 'cancelled' AND completed_by_id IS NOT NULL")
    # two current certificates of one kind (the count + 1 race): the newest stays current
    op.execute(
        """UPDATE certificate SET revoked_at = issued_at
           WHERE revoked_at IS NULL AND EXISTS (
               SELECT 1 FROM certificate AS newer
               WHERE newer.revoked_at IS NULL AND newer.member_id = certificate.member_id
                 AND newer.kind = certificate.kind AND newer.id > certificate.id)"""
    )
    twice = (
        op.get_bind()
        .execute(sa.text("SELECT user_id FROM member WHERE status = 'active' GROUP BY user_id HAVING COUNT(*) > 1"))
        .scalars()
        .all()
    )
    if twice:  # which record is the real one is the association's decision, not the migration's
        raise RuntimeError(f"several active member records for user_account ids {twice}: resolve them, then upgrade")


def upgrade() -> None:
    _repair_rows()
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index(
            "uq_certificate_one_current",
            ["member_id", "kind"],
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        )

    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(
            "uq_member_one_active",
            ["user_id"],
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )

    with op.batch_alter_table("process_instance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("exclusive_key", sa.String(length=80), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_process_instance_subject_id_user_account"), "user_account", ["subject_id"], ["id"]
        )
    _backfill_claims()
    with op.batch_alter_table("process_instance", schema=None) as batch_op:
        batch_op.create_index(
            "uq_instance_one_running",
            ["subject_id", "exclusive_key"],
            unique=True,
            sqlite_where=sa.text("status = 'running'"),
            postgresql_where=sa.text("status = 'running'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("process_instance", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_process_instance_subject_id_user_account"), type_="foreignkey")
        batch_op.drop_index(
            "uq_instance_one_running",
            sqlite_where=sa.text("status = 'running'"),
            postgresql_where=sa.text("status = 'running'"),
        )
        batch_op.drop_column("exclusive_key")
        batch_op.drop_column("subject_id")

    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_member_one_active",
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )

    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_certificate_one_current",
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        )
