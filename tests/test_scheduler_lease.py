"""Issue 10, item 6: of several schedulers started on one database exactly one sweeps; when it dies, another
takes over within seconds (short real leases: 1 s, polling every 0.1 s)."""

import threading
import time
from datetime import timedelta

import pytest

from app import create_app, system_state
from app.config import TestConfig
from app.extensions import db
from app.scheduler import LeasedSweeper
from app.scheduler_lease import current_holder, take_lease
from tests.fresh import fresh_app

LEASE_SECONDS = 1.0
POLL = 0.1


class Loop:
    """A scheduler process's loop in a thread, on an app (engine, sessions) of its own."""

    def __init__(self, app, name: str) -> None:
        self.sweeper = LeasedSweeper(app, holder=name)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stopped.is_set():
            self.sweeper()
            self.stopped.wait(POLL)

    def start(self) -> "Loop":
        self.thread.start()
        return self

    def kill(self) -> None:
        """Stops dead: no release, as a crashed process or a lost host leaves its lease to expire."""
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join()


def wait_for(condition, seconds: float) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        time.sleep(0.02)
    return time.monotonic() - started


@pytest.fixture
def two_schedulers(app, tmp_path):
    """Two scheduler apps on one fresh database file (or PostgreSQL database), as two processes would be."""
    with fresh_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path) as first:
        db.create_all()
        cfg = type(
            "Second",
            (TestConfig,),
            {
                "SQLALCHEMY_DATABASE_URI": first.config["SQLALCHEMY_DATABASE_URI"],
                "MEMBERFLOW_STORAGE_DIR": first.config["MEMBERFLOW_STORAGE_DIR"],
            },
        )
        second = create_app(cfg)
        for each in (first, second):
            each.config["MEMBERFLOW_SCHEDULER_LEASE_SECONDS"] = LEASE_SECONDS
        loops = [Loop(first, "scheduler-a"), Loop(second, "scheduler-b")]
        try:
            yield first, loops
        finally:
            for loop in loops:
                loop.kill()
            with second.app_context():
                db.engine.dispose()


def test_one_of_two_is_active_and_the_other_takes_over_when_it_dies(two_schedulers):
    first, loops = two_schedulers
    for loop in loops:
        loop.start()
    wait_for(lambda: any(loop.sweeper.active for loop in loops), 5)
    time.sleep(3 * POLL)  # several polls each: still exactly one
    [active] = [loop for loop in loops if loop.sweeper.active]
    [standby] = [loop for loop in loops if loop is not active]
    db.session.expire_all()
    assert current_holder().holder == active.sweeper.holder
    assert system_state.get(system_state.HEARTBEAT) is not None  # the active one sweeps (and says so)

    active.kill()
    took = wait_for(lambda: standby.sweeper.active, LEASE_SECONDS + 4)
    assert took <= LEASE_SECONDS + 2  # the lease time plus a poll, with room for a loaded machine
    db.session.expire_all()
    assert current_holder().holder == standby.sweeper.holder


def test_a_clean_stop_hands_over_at_once(two_schedulers):
    _first, (a, b) = two_schedulers
    a.sweeper()
    b.sweeper()
    assert a.sweeper.active and not b.sweeper.active
    a.sweeper.release()
    b.sweeper()
    assert b.sweeper.active


def test_the_lease_is_taken_only_when_free_or_expired(app):
    assert take_lease("a", timedelta(seconds=30))
    assert take_lease("a", timedelta(seconds=30))  # renewed
    assert not take_lease("b", timedelta(seconds=30))
    from app import clock

    clock.advance(timedelta(seconds=31))
    assert take_lease("b", timedelta(seconds=30))
    assert not take_lease("a", timedelta(seconds=30))
    assert current_holder().holder == "b"
