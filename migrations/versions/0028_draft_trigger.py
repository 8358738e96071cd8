"""A completed task's drafts are deleted by a trigger on the task row, not by a statement of the completion's own

Revision ID: 0028_draft_trigger
Revises: 0027_inbox_order
Create Date: 2026-12-06 06:45:00
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0028_draft_trigger"
down_revision = "0027_inbox_order"
branch_labels = None
depends_on = None

# SQLite: a later batch migration (op.batch_alter_table) that copies human_task drops this trigger with the old
# table, and one that copies task_draft fails while the trigger names it. Such a migration runs downgrade()'s DROP
# first and these statements again after.
TRIGGER = {
    "sqlite": [
        "CREATE TRIGGER trg_task_completed_drops_drafts AFTER UPDATE OF status ON human_task FOR EACH ROW"
        " WHEN NEW.status = 'completed' AND OLD.status <> 'completed'"
        " BEGIN DELETE FROM task_draft WHERE task_id = NEW.id; END"
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION task_completed_drops_drafts() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN DELETE FROM task_draft WHERE task_id = NEW.id; RETURN NULL; END $$",
        "CREATE TRIGGER trg_task_completed_drops_drafts AFTER UPDATE OF status ON human_task FOR EACH ROW"
        " WHEN (NEW.status = 'completed' AND OLD.status <> 'completed')"
        " EXECUTE FUNCTION task_completed_drops_drafts()",
    ],
}


def upgrade() -> None:
    # issue 13: every completion sent a DELETE of its task's drafts; the trigger does it inside the UPDATE that ends
    # the task, so no path that completes a task leaves drafts behind, an autosave that came meanwhile included.
    # Drafts of tasks completed before this revision are left from before; they are deleted here once.
    op.execute("DELETE FROM task_draft WHERE task_id IN (SELECT id FROM human_task WHERE status = 'completed')")
    for statement in TRIGGER[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS trg_task_completed_drops_drafts" + _on_table())
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS task_completed_drops_drafts()")


def _on_table() -> str:
    return " ON human_task" if op.get_bind().dialect.name == "postgresql" else ""
