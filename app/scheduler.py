"""The scheduler process: wakes instances whose next BPMN timer is due. Never in web workers; several may be
started (on several hosts): the one holding the lease sweeps, the others stand by (app/scheduler_lease.py)."""

import logging
import signal
from datetime import timedelta

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.exc import OperationalError

from app import create_app, system_state
from app.errors import Conflict
from app.extensions import db
from app.logs import install_logging
from app.notify.digest import digest_job
from app.scheduler_lease import holder_id, release_lease, take_lease
from app.workflow.incidents import StepFailed, record_incident
from app.workflow.timers import due_instance_ids, fire_instance_timers, postpone_timer

log = logging.getLogger("memberflow.scheduler")
# a failing instance (a broken script in its model) waits this long before the next try
RETRY_AFTER = timedelta(minutes=10)


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
    """The job each scheduler runs every poll: take or renew the lease, and sweep only while holding it."""

    def __init__(self, app: Flask, holder: str | None = None) -> None:
        self.app = app
        self.holder = holder or holder_id()
        self.ttl = timedelta(seconds=float(app.config["MEMBERFLOW_SCHEDULER_LEASE_SECONDS"]))
        self.active: bool | None = None  # unknown until the first poll, which says which it is

    def __call__(self) -> int:
        with self.app.app_context():
            held = take_lease(self.holder, self.ttl)
        if held is not self.active:
            log.info("%s: %s", self.holder, "active (holds the lease)" if held else "standby (another holds the lease)")
            self.active = held
        return fire_due_timers(self.app) if held else 0

    def release(self) -> None:
        with self.app.app_context():
            release_lease(self.holder)
        if self.active:
            log.info("%s: stopped, lease released", self.holder)
        self.active = False


def main() -> None:
    app = create_app()
    install_logging(app, process="scheduler")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # one line per run every 2 s is noise
    seconds = float(app.config["MEMBERFLOW_TIMER_POLL_SECONDS"])
    sweeper = LeasedSweeper(app)
    scheduler = BlockingScheduler(timezone="UTC")
    # coalesce + max_instances=1: a slow sweep never overlaps the next; a sleeping machine catches up once
    scheduler.add_job(sweeper, "interval", seconds=seconds, coalesce=True, max_instances=1, id="fire_due_timers")
    log.info("%s polling for due timers every %.1f s", sweeper.holder, seconds)
    hour, zone = app.config["MEMBERFLOW_DIGEST_HOUR"], app.config["MEMBERFLOW_TIMEZONE"]
    scheduler.add_job(
        lambda: sweeper.active and digest_job(app), "cron", hour=hour, timezone=zone, coalesce=True, id="digest"
    )
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))  # systemd, docker stop, kill
    try:
        scheduler.start()
    finally:  # SIGINT/SIGTERM: hand the lease over now rather than after it expires
        sweeper.release()


if __name__ == "__main__":
    main()
