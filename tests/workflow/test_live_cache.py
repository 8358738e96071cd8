"""The worker's live workflows (issue 13): used only for the row the lock read, kept only once committed."""

from sqlalchemy import select

from app import create_app
from app.accounts.models import User
from app.config import TestConfig
from app.demo import load_demo
from app.extensions import db
from app.workflow import services
from app.workflow.live import live_workflows
from app.workflow.models import HumanTask, ProcessInstance
from tests.processes.test_join_practicing import application, open_task


def _twin(app):
    """Another worker: an app object of its own (its own cache) on the same database."""

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        MEMBERFLOW_STORAGE_DIR = app.config["MEMBERFLOW_STORAGE_DIR"]
        MEMBERFLOW_DEV_PAYMENT_KEY = app.config["MEMBERFLOW_DEV_PAYMENT_KEY"]

    return create_app(Cfg)


def _complete(worker, user_id, instance_id, data=None):
    """One request on `worker`: complete the instance's open task as the user, commit; the instance's row after."""
    with worker.app_context():
        user = db.session.get(User, user_id)
        task_id = db.session.scalar(
            select(HumanTask.id).where(HumanTask.instance_id == instance_id, HumanTask.status == "open")
        )
        services.submit_task(task_id, user, data or {"decision": "approve"})
        db.session.commit()
        row = db.session.get(ProcessInstance, instance_id)
        result = (row.status, row.row_version, live_workflows().stamp_of(instance_id))
        db.session.remove()
        return result


def test_two_workers_alternating_on_one_instance_never_use_a_stale_workflow(second_app, upload):
    """R-JOIN-3 walked by two workers in turn. Each keeps the workflow of its own last completion; when the other
    worker has completed a step since, the row version read under the lock differs and the kept one is dropped.
    Used anyway, it would not even know the task that is open now (a 409)."""
    a = second_app("live")
    b = _twin(a)
    with a.app_context():
        world = load_demo()
        db.session.commit()
        applicant, data = world.applicant, application(world, upload)
        instance = services.start_process("join_practicing", applicant)
        db.session.commit()
        ids = {
            "applicant": applicant.id,
            "firm": world.firm_reviewer.id,
            "local": world.local_reviewer.id,
            "national": world.national_reviewer.id,
            "instance": instance.id,
        }
        db.session.remove()
    cache_a, cache_b = a.extensions["memberflow.live_workflows"], b.extensions["memberflow.live_workflows"]
    walk = [
        (a, "applicant", {"agree_rules": True}),
        (a, "applicant", data),  # the same worker again: its kept workflow is the row's
        (b, "firm", None),
        (a, "local", None),  # a's workflow is of the apply step: b has completed the firm step since
        (b, "national", None),  # b's is of the firm step
    ]
    for worker, who, step_data in walk:
        status, row_version, kept = _complete(worker, ids[who], ids["instance"], step_data)
        assert kept is not None and kept.row_version == row_version  # what this worker keeps is the row now
    assert status == "approved"
    assert (cache_a.hits, cache_a.stale, cache_b.hits, cache_b.stale) == (2, 1, 0, 1)  # a kept the started one


def test_a_rolled_back_completion_keeps_no_workflow(world, upload):
    """The engine ran and the row was flushed, then the transaction rolled back: the workflow in memory is of a
    state the database never stored, so it is dropped; the next completion reads the stored state (R-JOIN-3)."""
    cache = live_workflows()
    instance = services.start_process("join_practicing", world.applicant)
    services.submit_task(open_task(instance).id, world.applicant, {"agree_rules": True})
    db.session.commit()
    assert cache.stamp_of(instance.id).row_version == instance.row_version
    task_id = open_task(instance).id
    data = application(world, upload)
    db.session.commit()

    services.submit_task(task_id, world.applicant, data)
    db.session.flush()
    db.session.rollback()
    assert cache.stamp_of(instance.id) is None

    misses = cache.misses
    services.submit_task(task_id, world.applicant, data)
    db.session.commit()
    assert cache.misses == misses + 1
    assert open_task(instance).role == "firm"
    assert cache.stamp_of(instance.id).row_version == instance.row_version


def test_a_committed_completion_is_reused_by_the_next_one(world, upload):
    cache = live_workflows()
    instance = services.start_process("join_practicing", world.applicant)
    services.submit_task(open_task(instance).id, world.applicant, {"agree_rules": True})
    db.session.commit()
    hits = cache.hits
    services.submit_task(open_task(instance).id, world.applicant, application(world, upload))
    db.session.commit()
    assert cache.hits == hits + 1 and open_task(instance).role == "firm"


def test_the_cache_can_be_turned_off(second_app, upload):
    worker = second_app("off", MEMBERFLOW_WORKFLOW_CACHE_ENTRIES=0)
    with worker.app_context():
        world = load_demo()
        db.session.commit()
        instance = services.start_process("join_practicing", world.applicant)
        services.submit_task(open_task(instance).id, world.applicant, {"agree_rules": True})
        db.session.commit()
        assert live_workflows().stamp_of(instance.id) is None and len(live_workflows()) == 0
        db.session.remove()
