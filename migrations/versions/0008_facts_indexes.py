"""indexes for eligibility facts: running applications per person, earlier uploads by actor, branches

Revision ID: 0008_facts_indexes
Revises: 0007_ops
Create Date: 2026-12-04 15:09:27.196138
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0008_facts_indexes"
down_revision = "0007_ops"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_actor_role_at", ["actor_id", "role", "at"], unique=False)

    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organization_head_office_id"), ["head_office_id"], unique=False)

    with op.batch_alter_table("process_instance", schema=None) as batch_op:
        batch_op.create_index("ix_instance_applicant_status", ["applicant_id", "status", "process_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("process_instance", schema=None) as batch_op:
        batch_op.drop_index("ix_instance_applicant_status")

    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_head_office_id"))

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_actor_role_at")
