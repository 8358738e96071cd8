"""The scheduler process: wakes instances whose next BPMN timer is due. Never in web workers; several may be
started (on several hosts): the one holding the lease sweeps, the others stand by (app/scheduler_lease.py).

It sleeps until the earliest timer is due (one read of the next_timer_at index), so a timer fires milliseconds
after its time, and never longer than MEMBERFLOW_TIMER_POLL_SECONDS, so a timer a web worker created meanwhile
(another process, another host) is seen within that: only a timer due sooner than one poll after it was created
can be late, by less than a poll. Polling an index entry works alike on SQLite and PostgreSQL and needs nothing
from the web workers (LISTEN/NOTIFY would only help timers shorter than the poll, and only on PostgreSQL)."""

import logging
import signal
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.exc import OperationalError

from app import clock, create_app, system_state
from app.decisions.log import purge_decision_records
from app.errors import Conflict
from app.extensions import db
from app.logs import install_logging
from app.notify.digest import digest_job
from app.scheduler_lease import holder_id, release_lease, take_lease
from app.workbench.live import refresh_catalog
from app.workflow.incidents import StepFailed, record_incident
from app.workflow.timers import due_instance_ids, fire_instance_timers, next_timer_due, postpone_timer

log = logging.getLogger("memberflow.scheduler")
# a failing instance (a broken script in its model) waits this long before the next try
RETRY_AFTER = timedelta(minutes=10)
PURGE_HOUR = 3  # the decision log's daily purge, at night in the association's time zone


def fire_due_timers(app: Flask) -> int:
    """One sweep: each due instance in its own transaction, so one failing model does not stop the others."""
    fired = 0
    with app.app_context():
        for instance_id in due_instance_ids():
            try:
                if fire_instance_timers(instance_id):
                    fired += 1
                    log.info("fired due timers of instance %s", instance_id)
                db.session.commit()
            except StepFailed as err:  # a broken step: an incident administrators see and retry
                db.session.rollback()
                record_incident(err, None)
                postpone_timer(instance_id, RETRY_AFTER)
                db.session.commit()
            except Conflict:  # another scheduler started by mistake got the row first: it fired the timer
                db.session.rollback()
                log.info("instance %s was handled by another scheduler", instance_id)
            except OperationalError as err:  # the database is locked or away: not the model's fault, next sweep
                db.session.rollback()
                log.warning("timer of instance %s not fired, database unavailable: %s", instance_id, err)
            except Exception:
                db.session.rollback()
                log.exception("timer of instance %s failed; retrying in %s", instance_id, RETRY_AFTER)
                postpone_timer(instance_id, RETRY_AFTER)
                db.session.commit()
        system_state.record_heartbeat()  # /healthz: the scheduler is alive and its sweeps finish
        db.session.remove()
    return fired


class LeasedSweeper:
    """What each scheduler does when it wakes: take or renew the lease, and sweep only while holding it."""

    def __init__(self, app: Flask, holder: str | None = None) -> None:
        self.app = app
        self.holder = holder or holder_id()
        self.ttl = timedelta(seconds=float(app.config["MEMBERFLOW_SCHEDULER_LEASE_SECONDS"]))
        self.poll = float(app.config["MEMBERFLOW_TIMER_POLL_SECONDS"])
        self.active: bool | None = None  # unknown until the first poll, which says which it is
        self.renewed_at: datetime | None = None

    def __call__(self) -> int:
        now = clock.now()
        # waking for each due timer must not write the lease each time: a lease renewed less than a third of its
        # time ago is certainly still ours (a stalled holder finds it older and asks the database)
        if not (self.active and self.renewed_at and timedelta(0) <= now - self.renewed_at < self.ttl / 3):
            with self.app.app_context():
                held = take_lease(self.holder, self.ttl)
            self.renewed_at = now if held else None
            if held is not self.active:
                state = "active (holds the lease)" if held else "standby (another holds the lease)"
                log.info("%s: %s", self.holder, state)
                self.active = held
        with self.app.app_context():  # a version published in the workbench runs from the next wake
            refresh_catalog(self.app)
            db.session.remove()
        return fire_due_timers(self.app) if self.active else 0

    def seconds_to_wait(self) -> float:
        """Until the earliest timer is due (0 if one is due now), at most a poll; a standby waits a poll."""
        if not self.active:
            return self.poll
        with self.app.app_context():
            due = next_timer_due()
            db.session.remove()
        if due is None:
            return self.poll
        return min(self.poll, max(0.0, (due - clock.now()).total_seconds()))

    def release(self) -> None:
        with self.app.app_context():
            release_lease(self.holder)
        if self.active:
            log.info("%s: stopped, lease released", self.holder)
        self.active = False
        self.renewed_at = None


def wake(sweeper: LeasedSweeper) -> float:
    """One wake: sweep while holding the lease; the seconds until the next wake (a poll when the sweep failed)."""
    try:
        sweeper()
        return sweeper.seconds_to_wait()
    except Exception:  # the database away: not fatal, the next poll tries again
        log.exception("%s: sweep failed; trying again in %.1f s", sweeper.holder, sweeper.poll)
        return sweeper.poll


def run(sweeper: LeasedSweeper, wait: Callable[[float], bool]) -> None:
    """The wakes in a plain loop, for tests that move the clock: `wait(seconds)` returns True to stop."""
    while not wait(wake(sweeper)):
        pass


def schedule_wakes(scheduler: BaseScheduler, sweeper: LeasedSweeper) -> None:
    """APScheduler runs the wakes: each adds a one-off job at the next due time (or a poll), so the process sleeps
    in APScheduler until the earliest timer, and other jobs (the reviewers' digest) share the same scheduler."""

    def wake_job() -> None:
        seconds = wake(sweeper)
        at = datetime.now(UTC) + timedelta(seconds=seconds)
        scheduler.add_job(wake_job, "date", run_date=at, misfire_grace_time=None, name="fire_due_timers")

    scheduler.add_job(wake_job, "date", run_date=datetime.now(UTC), misfire_grace_time=None, name="fire_due_timers")


def purge_decision_log(app: Flask) -> int:
    """The decision log's retention (MEMBERFLOW_DECISION_LOG_DAYS), as `flask memberflow decisions purge` does."""
    with app.app_context():
        try:
            deleted = purge_decision_records(int(app.config["MEMBERFLOW_DECISION_LOG_DAYS"]))
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("decision log purge failed")
            return 0
        finally:
            db.session.remove()
    log.info("decision log: %d record(s) past the retention deleted", deleted)
    return deleted


def schedule_daily_jobs(scheduler: BaseScheduler, sweeper: LeasedSweeper) -> None:
    """The daily jobs, run by the lease holder only: the reviewers' digest at MEMBERFLOW_DIGEST_HOUR and the
    decision log's purge at PURGE_HOUR, both in the association's time zone."""
    app = sweeper.app
    hour, zone = app.config["MEMBERFLOW_DIGEST_HOUR"], app.config["MEMBERFLOW_TIMEZONE"]
    scheduler.add_job(
        lambda: sweeper.active and digest_job(app), "cron", hour=hour, timezone=zone, coalesce=True, id="digest"
    )
    scheduler.add_job(
        lambda: sweeper.active and purge_decision_log(app),
        "cron",
        hour=PURGE_HOUR,
        timezone=zone,
        coalesce=True,
        id="decision_log_purge",
    )


def main() -> None:
    app = create_app()
    install_logging(app, process="scheduler")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per wake is noise
    sweeper = LeasedSweeper(app)
    scheduler = BlockingScheduler(timezone="UTC")
    schedule_wakes(scheduler, sweeper)
    log.info("%s waking at each due timer, looking for new ones every %.1f s", sweeper.holder, sweeper.poll)
    schedule_daily_jobs(scheduler, sweeper)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))  # systemd, docker stop, kill
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:  # SIGINT/SIGTERM: hand the lease over now rather than after it expires
        sweeper.release()


if __name__ == "__main__":
    main()
