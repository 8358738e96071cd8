"""The scheduler sweep fires due BPMN timers once, in their own transactions."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app import clock
from app.config import ROOT
from app.engine.specs import load_catalog
from app.scheduler import fire_due_timers
from app.workflow import services
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
    events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.instance_id == instance.id)).all()
    assert events == ["started", "timer"]
