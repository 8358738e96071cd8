"""`flask memberflow clock advance 7d`: a tester moves the time that both the web app and the scheduler see."""

from datetime import UTC, datetime, timedelta

import click
import pytest

from app import clock, create_app, system_state
from app.cli import parse_duration
from app.config import ROOT, TestConfig
from app.engine.specs import load_catalog
from app.extensions import db
from app.scheduler import fire_due_timers
from tests.fresh import fresh_app
from tests.workflow.test_scheduler import FIXTURES


def test_durations():
    assert parse_duration("7d") == timedelta(days=7)
    assert parse_duration("1d12h30m") == timedelta(days=1, hours=12, minutes=30)
    with pytest.raises(click.BadParameter):
        parse_duration("7x")


def test_the_clock_command_is_refused_outside_development(app):
    result = app.test_cli_runner().invoke(args=["memberflow", "clock", "advance", "7d"])
    assert result.exit_code == 1 and "only in development" in result.output
    system_state.set_clock_offset(timedelta(days=30))  # even if stored: production (and tests) never read it
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(minutes=1)


def test_advancing_seven_days_lets_the_scheduler_process_fire_the_transfer_timer(app, tmp_path, monkeypatch):
    """Two apps on one database stand for the web process (and CLI) and the scheduler process."""
    monkeypatch.setattr(system_state, "CLOCK_CACHE_SECONDS", 0)  # in life a process sees it within a second
    catalog = load_catalog(FIXTURES, ROOT / "rules", ROOT / "forms")
    with fresh_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, MEMBERFLOW_DEV_CLOCK=True) as web:
        from app.demo import load_demo
        from app.workflow import services

        monkeypatch.setitem(web.extensions, "memberflow.catalog", catalog)
        db.create_all()
        instance_id = services.start_process("timer_wait", load_demo().applicant).id  # a 7-day timer (P7D)
        db.session.commit()

        cfg = type(
            "SchedulerConfig",
            (TestConfig,),
            {k: web.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "MEMBERFLOW_STORAGE_DIR")},
        )
        scheduler = create_app(type("DevClock", (cfg,), {"MEMBERFLOW_DEV_CLOCK": True}))
        monkeypatch.setitem(scheduler.extensions, "memberflow.catalog", catalog)
        try:
            assert fire_due_timers(scheduler) == 0
            result = web.test_cli_runner().invoke(args=["memberflow", "clock", "advance", "7d"])
            assert result.exit_code == 0, result.output
            assert "offset 7 days" in result.output
            assert clock.now() - datetime.now(UTC) > timedelta(days=6, hours=23)  # the web app's time moved
            assert fire_due_timers(scheduler) == 1  # and the scheduler's: the timer fired
            web.test_cli_runner().invoke(args=["memberflow", "clock", "reset"])
            assert abs(clock.now() - datetime.now(UTC)) < timedelta(minutes=1)
        finally:
            with scheduler.app_context():
                db.engine.dispose()
        from app.workflow.models import AuditEvent

        db.session.expire_all()
        assert [e.action for e in db.session.query(AuditEvent).filter_by(instance_id=instance_id)] == [
            "started",
            "timer",
        ]
