"""Issue 13, item 6: the scheduler sleeps until the earliest timer is due (at most a poll, to see new ones), and
the active scheduler does not write its lease on every wake. The loop runs with an injected wait that moves the
clock instead of sleeping."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app import clock
from app.config import ROOT
from app.engine.specs import load_catalog
from app.extensions import db
from app.scheduler import LeasedSweeper, run
from app.scheduler_lease import current_holder, take_lease
from app.workflow import services
from app.workflow.models import AuditEvent

DAY = 86400.0
FIXTURES = Path(__file__).parent / "fixtures" / "processes"  # timer_wait: a timer of 7 days, then a task


@pytest.fixture
def timer_catalog(app, monkeypatch):
    cat = load_catalog(FIXTURES, ROOT / "rules", ROOT / "forms")
    monkeypatch.setitem(app.extensions, "memberflow.catalog", cat)
    return cat


@pytest.fixture
def sweeper(app, timer_catalog):
    def make(poll: float) -> LeasedSweeper:
        app.config["MEMBERFLOW_TIMER_POLL_SECONDS"] = poll
        return LeasedSweeper(app, holder="test-scheduler")

    return make


class MovingClock:
    """The wait `run` is given: records each wait, moves the clock by it, runs `during` first; stops after `times`."""

    def __init__(self, times: int, during=None) -> None:
        self.waits: list[float] = []
        self.times, self.during = times, during or {}

    def __call__(self, seconds: float) -> bool:
        self.waits.append(seconds)
        if len(self.waits) in self.during:
            self.during[len(self.waits)]()
        clock.advance(timedelta(seconds=seconds))
        return len(self.waits) >= self.times


def timer_events() -> list:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "timer")))


def test_it_waits_until_the_earliest_timer_and_no_longer_than_a_poll(app, world, sweeper):
    s = sweeper(poll=8 * DAY)
    s()
    assert s.seconds_to_wait() == 8 * DAY  # nothing waiting: a poll
    services.start_process("timer_wait", world.applicant)  # due in 7 days
    db.session.commit()
    assert 7 * DAY - 5 < s.seconds_to_wait() <= 7 * DAY
    s.poll = 1.0
    assert s.seconds_to_wait() == 1.0  # a web worker may create an earlier one: look again within a poll
    clock.advance(timedelta(days=7))
    assert s.seconds_to_wait() == 0.0  # due now


def test_a_standby_waits_a_poll(app, world, sweeper):
    s = sweeper(poll=0.5)
    services.start_process("timer_wait", world.applicant)
    db.session.commit()
    clock.advance(timedelta(days=8))
    assert take_lease("another-scheduler", timedelta(seconds=15))
    assert s() == 0 and s.active is False
    assert s.seconds_to_wait() == 0.5


def test_the_loop_fires_a_timer_at_its_due_time(app, world, sweeper):
    instance = services.start_process("timer_wait", world.applicant)
    db.session.commit()
    due = instance.next_timer_at
    wait = MovingClock(times=2)
    run(sweeper(poll=8 * DAY), wait)
    assert 7 * DAY - 5 < wait.waits[0] <= 7 * DAY  # one sleep to the due time, not 302,400 sweeps of 2 s
    [event] = timer_events()
    assert timedelta(0) <= event.at - due < timedelta(seconds=1)


def test_a_timer_created_while_it_sleeps_is_seen_within_a_poll_and_fired_on_time(app, world, sweeper):
    created = {}

    def web_worker_starts_one() -> None:  # during the first sleep, as another process would
        created["due"] = services.start_process("timer_wait", world.applicant).next_timer_at
        db.session.commit()

    wait = MovingClock(times=5, during={1: web_worker_starts_one})
    run(sweeper(poll=3 * DAY), wait)
    assert wait.waits[0] == 3 * DAY  # nothing known when it fell asleep
    [event] = timer_events()
    assert timedelta(0) <= event.at - created["due"] < timedelta(seconds=1)
    assert wait.waits[1] == 3 * DAY and 1 * DAY - 5 < wait.waits[2] <= 1 * DAY  # a poll, then to the due time


def test_the_active_scheduler_renews_its_lease_after_a_third_of_its_time_not_on_every_wake(app, sweeper):
    s = sweeper(poll=1.0)
    ttl = s.ttl.total_seconds()
    s()
    first = current_holder().expires_at
    clock.advance(timedelta(seconds=ttl / 3 - 1))
    s()
    db.session.expire_all()
    assert current_holder().expires_at == first
    clock.advance(timedelta(seconds=2))
    s()
    db.session.expire_all()
    assert current_holder().expires_at > first and s.active


def test_a_holder_that_stalled_past_its_lease_asks_again_and_stands_by(app, sweeper):
    s = sweeper(poll=1.0)
    s()
    clock.advance(s.ttl + timedelta(seconds=1))
    assert take_lease("another-scheduler", s.ttl)
    assert s() == 0 and s.active is False
