"""The scheduler sweep fires due BPMN timers once, in their own transactions."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app import clock
from app.config import ROOT
from app.engine.specs import load_catalog
from app.scheduler import fire_due_timers
from app.workflow import services, timers
from app.workflow.models import AuditEvent, HumanTask

FIXTURES = Path(__file__).parent / "fixtures" / "processes"


@pytest.fixture
def timer_catalog(app, monkeypatch):
    cat = load_catalog(FIXTURES, ROOT / "rules", ROOT / "forms")
    assert cat.problems == []
    monkeypatch.setitem(app.extensions, "memberflow.catalog", cat)
    return cat


def test_due_timer_fires_once_and_the_next_task_appears(app, world, timer_catalog):
    from app.extensions import db

    start = clock.now()
    instance = services.start_process("timer_wait", world.applicant)
    db.session.commit()
    assert instance.next_timer_at is not None and instance.current_step is None
    assert "Timer_Wait" in instance.progress["current"]

    assert timedelta(days=7) <= instance.next_timer_at - start < timedelta(days=7, seconds=5)
    assert fire_due_timers(app) == 0  # not due yet

    clock.advance(timedelta(days=8))  # the scheduler was down for 8 days: it fires once on return
    assert fire_due_timers(app) == 1
    assert fire_due_timers(app) == 0

    db.session.expire_all()
    tasks = db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id)).all()
    assert [(t.bpmn_id, t.status) for t in tasks] == [("Task_After", "open")]
    stmt = select(AuditEvent.action).where(AuditEvent.instance_id == instance.id).order_by(AuditEvent.id)
    assert db.session.scalars(stmt).all() == ["started", "timer"]  # by id: PostgreSQL's heap order is not insertion's


def test_two_schedulers_after_8_days_down_fire_each_timer_once(app, tmp_path, monkeypatch):
    """Two sweeps at once on a real database (separate connections): the row lock decides, nothing double-fires."""
    import threading

    from app import create_app
    from app.config import TestConfig
    from app.demo import load_demo

    url = app.config["SQLALCHEMY_DATABASE_URI"]

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = url if url.startswith("postgresql") else f"sqlite:///{tmp_path / 'sched.db'}"
        MEMBERFLOW_STORAGE_DIR = str(tmp_path / "files")

    other = create_app(Cfg)
    cat = load_catalog(FIXTURES, ROOT / "rules", ROOT / "forms")
    monkeypatch.setitem(other.extensions, "memberflow.catalog", cat)
    with other.app_context():
        from app.extensions import db

        db.create_all()
        world = load_demo()
        ids = [
            services.start_process("timer_wait", u).id
            for u in (world.applicant, world.returning, world.firm_reviewer, world.local_reviewer)
        ]
        db.session.commit()
        db.session.remove()

    clock.advance(timedelta(days=8))
    barrier, fired = threading.Barrier(2), []

    def sweep() -> None:
        barrier.wait()
        fired.append(fire_due_timers(other))

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sum(fired) == len(ids)
    with other.app_context():
        from app.extensions import db

        actions = db.session.scalars(select(AuditEvent.instance_id).where(AuditEvent.action == "timer")).all()
        assert sorted(actions) == sorted(ids)
        assert db.session.scalars(select(HumanTask.bpmn_id).where(HumanTask.status == "open")).all() == [
            "Task_After"
        ] * len(ids)
        if not url.startswith("postgresql"):
            db.drop_all()


def test_a_failing_timer_is_retried_later_not_every_sweep(app, world, timer_catalog, monkeypatch):
    from app import scheduler
    from app.extensions import db

    instance = services.start_process("timer_wait", world.applicant)
    db.session.commit()
    clock.advance(timedelta(days=8))

    def broken(instance_id):
        raise RuntimeError("a broken script in the model")

    monkeypatch.setattr(scheduler, "fire_instance_timers", broken)
    assert fire_due_timers(app) == 0
    db.session.expire_all()
    assert instance.next_timer_at - clock.now() > timedelta(minutes=9)
    assert timers.due_instance_ids() == []  # not retried on the next sweep, not blocking others

    monkeypatch.undo()
    monkeypatch.setitem(app.extensions, "memberflow.catalog", timer_catalog)
    clock.advance(scheduler.RETRY_AFTER)
    assert fire_due_timers(app) == 1


def test_a_locked_database_leaves_the_timer_for_the_next_sweep(app, world, timer_catalog):
    """Not the model's fault: no 10-minute back-off, the next sweep fires it (issue 9, item 8)."""
    from app.extensions import db
    from tests.api.test_database_errors import failing

    instance = services.start_process("timer_wait", world.applicant)
    db.session.commit()
    clock.advance(timedelta(days=8))
    with failing("UPDATE PROCESS_INSTANCE"):
        assert fire_due_timers(app) == 0
    assert timers.due_instance_ids() == [instance.id]
    assert fire_due_timers(app) == 1
