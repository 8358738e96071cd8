"""Who may not act on a task never holds its instance's lock, not even for the moment before their 404 (issue 13)."""

import pytest
from sqlalchemy import create_engine, text

from app.demo import load_demo
from app.errors import NotFound
from app.extensions import db
from app.workflow import services
from app.workflow.models import HumanTask


def test_a_stranger_completing_someone_elses_task_gets_a_404_without_locking_the_instance(file_app):
    with file_app.app_context():
        world = load_demo()
        instance = services.start_process("join_practicing", world.applicant)
        db.session.commit()
        instance_id = instance.id
        task_id = db.session.query(HumanTask.id).filter_by(instance_id=instance_id, status="open").scalar()
        url = db.engine.url.render_as_string(hide_password=False)
        stranger = world.firm_reviewer  # a reviewer of the applicant's firm: no grant reaches the applicant's task
        with pytest.raises(NotFound):
            services.submit_task(task_id, stranger, {"agree_rules": True})
        assert db.session.info.get("memberflow.locked_instance") is None  # the lock's statement gave no row
        if url.startswith("postgresql"):  # the stranger's transaction is still open: another may take the row lock
            other = create_engine(url)
            with other.connect() as conn:
                free = conn.execute(
                    text("SELECT id FROM process_instance WHERE id = :id FOR UPDATE SKIP LOCKED"), {"id": instance_id}
                ).all()
            other.dispose()
            assert free == [(instance_id,)]
        db.session.rollback()
        db.session.remove()
