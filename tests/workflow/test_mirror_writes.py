"""The mirror's rows written by Core statements (issue 13): the same guarantees as the unit of work gave."""

import functools

import pytest
from sqlalchemy import func, select, update

from app.accounts.models import User
from app.errors import Conflict
from app.extensions import db
from app.workflow import services
from app.workflow.mirror_writes import insert_tasks
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance
from tests.processes.test_join_practicing import open_task, submit_application


def _another_writer_meanwhile(monkeypatch, instance_id):
    """After the engine ran and before the mirror writes, another transaction's write to the instance row (its row
    version moves on). On the request's connection after the engine's savepoint: on SQLite a savepoint that began
    the transaction commits it when released."""
    real = services.apply_snapshot

    @functools.wraps(real)
    def apply_snapshot(*args, **kw):
        db.session.connection().execute(
            update(ProcessInstance)
            .where(ProcessInstance.id == instance_id)
            .values(row_version=ProcessInstance.row_version + 1)
        )
        real(*args, **kw)

    monkeypatch.setattr(services, "apply_snapshot", apply_snapshot)


def test_a_completion_on_a_row_changed_since_the_lock_is_a_conflict_and_leaves_nothing(world, upload, monkeypatch):
    instance = submit_application(world, upload)
    instance_id, task_id, version = instance.id, open_task(instance).id, instance.row_version
    db.session.commit()
    _another_writer_meanwhile(monkeypatch, instance_id)
    with pytest.raises(Conflict, match="刚刚已被他人处理"):
        services.submit_task(task_id, world.firm_reviewer, {"decision": "approve"})
    db.session.remove()
    task = db.session.get(HumanTask, task_id)
    assert task.status == "open" and task.completed_by_id is None
    assert db.session.get(ProcessInstance, instance_id).row_version == version
    tasks = db.session.scalar(select(func.count()).select_from(HumanTask).where(HumanTask.instance_id == instance_id))
    assert tasks == 3  # the notice, the application form and this one: no local association task
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.instance_id == instance_id))
    assert "approved" not in list(actions)


def test_the_rows_a_completion_wrote_are_what_the_request_reads_without_asking_again(world, upload):
    """The instance and task objects carry the values written, and nothing is left for the flush to write."""
    instance = submit_application(world, upload)
    task_id, reviewer_id = open_task(instance).id, world.firm_reviewer.id
    db.session.commit()
    db.session.remove()
    instance = services.submit_task(task_id, db.session.get(User, reviewer_id), {"decision": "approve"})
    session = db.session()
    assert not session.dirty and not session.new
    done = session.get(HumanTask, task_id)
    assert (done.status, done.completed_by_id) == ("completed", reviewer_id)
    [local] = [t for t in session.identity_map.values() if isinstance(t, HumanTask) and t.status == "open"]
    seen = (instance.row_version, instance.current_step, local.id, local.role, local.due_at)
    instance_id = instance.id
    db.session.commit()
    db.session.remove()
    stored = db.session.get(ProcessInstance, instance_id)
    task = open_task(stored)
    assert seen == (stored.row_version, stored.current_step, task.id, "local_association", task.due_at)
    assert db.session.get(HumanTask, task_id).completed_at is not None


def test_tasks_made_ready_together_are_inserted_with_their_own_ids(world, upload):
    """Parallel branches (none in today's processes): each new row gets its id, in the order given."""
    instance = submit_application(world, upload)
    template = {c: getattr(open_task(instance), c) for c in ("instance_id", "process_id", "bpmn_id", "name", "role")}
    rows = [
        {**template, "task_uuid": uuid, "organization_id": world.firm_bj.id, "user_id": None, "form_key": "review"}
        | dict.fromkeys(("due_at", "due_note", "assignee_id", "claimed_at", "completed_by_id", "completed_at"))
        | {"status": "open", "created_at": instance.created_at, "prefill": None, "title": "t", "applicant_name": "a"}
        for uuid in ("branch-a", "branch-b")
    ]
    tasks = insert_tasks(rows)
    assert [t.task_uuid for t in tasks] == ["branch-a", "branch-b"] and tasks[0].id < tasks[1].id
    assert not db.session.new and not db.session.dirty
    inserted = {t.id: t.task_uuid for t in tasks}
    db.session.commit()
    db.session.remove()
    stored = {t.id: t.task_uuid for t in db.session.scalars(select(HumanTask).where(HumanTask.status == "open"))}
    assert inserted.items() <= stored.items()
