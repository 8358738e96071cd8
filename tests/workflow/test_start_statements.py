"""What starting an application asks the database (issue 13): nothing it cannot but know already."""

from app.extensions import db
from app.workflow.services import start_process
from tests.api.test_completion_statements import captured


def test_a_start_does_not_read_the_open_tasks_of_the_instance_it_has_just_created(app, world):
    """No other transaction can see the new instance, so it has no task rows but those this start writes; the mirror
    read them from human_task all the same (one statement per start)."""
    with captured() as statements:
        instance = start_process("join_practicing", world.applicant)
        db.session.commit()
    assert [t.name for t in instance.tasks if t.status == "open"]  # it opened its first task
    assert any(s.startswith("INSERT INTO human_task") for s in statements)
    assert not [s for s in statements if s.startswith("SELECT") and "FROM human_task" in s]
