"""The decision log's retention (issue 18): the scheduler purges records past MEMBERFLOW_DECISION_LOG_DAYS once a
day (an APScheduler job of the lease holder), on the injectable clock (R-STA-1 refusals are the records here)."""

from datetime import timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select

from app import clock
from app.decisions.models import DecisionRecord
from app.errors import NotEligible
from app.extensions import db
from app.scheduler import PURGE_HOUR, LeasedSweeper, purge_decision_log, schedule_daily_jobs
from app.workflow import services
from tests.processes.walk import person


def count() -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count(DecisionRecord.id))) or 0)


@pytest.fixture
def one_record(world):
    with pytest.raises(NotEligible):
        services.start_process("status_full", person("13800000031"))
    db.session.commit()
    assert count() == 1


def test_the_purge_honours_the_retention_setting(app, one_record, monkeypatch):
    monkeypatch.setitem(app.config, "MEMBERFLOW_DECISION_LOG_DAYS", 30)
    clock.advance(timedelta(days=29))
    assert purge_decision_log(app) == 0 and count() == 1
    clock.advance(timedelta(days=2))
    assert purge_decision_log(app) == 1 and count() == 0


def test_the_scheduler_runs_the_purge_daily_and_only_the_lease_holder(app, one_record):
    scheduler = BackgroundScheduler(timezone="UTC")  # configured, never started: nothing runs by itself
    sweeper = LeasedSweeper(app, holder="test")
    schedule_daily_jobs(scheduler, sweeper)
    job = scheduler.get_job("decision_log_purge")
    now = clock.now()
    first = job.trigger.get_next_fire_time(None, now)
    assert timedelta(0) < first - now <= timedelta(days=1) and first.hour == PURGE_HOUR
    assert job.trigger.get_next_fire_time(first, first + timedelta(seconds=1)) - first == timedelta(days=1)
    clock.advance(timedelta(days=731))  # past the default 730 days
    sweeper.active = False
    job.func()  # a standby scheduler does not purge
    assert count() == 1
    sweeper.active = True
    job.func()
    assert count() == 0
