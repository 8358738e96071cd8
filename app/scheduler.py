"""The scheduler process: wakes instances whose next BPMN timer is due. One process, never in web workers."""

import logging
from datetime import timedelta

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.exc import OperationalError

from app import create_app, system_state
from app.errors import Conflict
from app.extensions import db
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


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s scheduler %(levelname)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # one line per run every 2 s is noise
    app = create_app()
    seconds = float(app.config["MEMBERFLOW_TIMER_POLL_SECONDS"])
    scheduler = BlockingScheduler(timezone="UTC")
    # coalesce + max_instances=1: a slow sweep never overlaps the next; a sleeping machine catches up once
    scheduler.add_job(
        fire_due_timers, "interval", seconds=seconds, args=[app], coalesce=True, max_instances=1, id="fire_due_timers"
    )
    log.info("polling for due timers every %.1f s", seconds)
    scheduler.start()


if __name__ == "__main__":
    main()
