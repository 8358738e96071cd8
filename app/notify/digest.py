"""The reviewers' daily digest: new tasks since yesterday and overdue ones, once a day per person (a job)."""

import logging
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import clock
from app.accounts.models import RoleGrant, User
from app.extensions import db
from app.notify.inapp import notify_user
from app.roles import REVIEWER_ROLES
from app.workflow.access import reviewer_scope
from app.workflow.models import HumanTask

log = logging.getLogger("memberflow.digest")


def send_daily_digests() -> int:
    """Each reviewer with new or overdue tasks gets one message today; the unique key refuses a second."""
    now, today = clock.now(), clock.today()
    sent = 0
    reviewer_ids = db.session.scalars(select(RoleGrant.user_id).where(RoleGrant.role.in_(REVIEWER_ROLES)).distinct())
    for user in db.session.scalars(select(User).where(User.id.in_(list(reviewer_ids)))):
        scope = (HumanTask.status == "open", reviewer_scope(user))
        new = _count(*scope, HumanTask.created_at >= now - timedelta(days=1))
        overdue = _count(*scope, HumanTask.due_at < now)
        if not new and not overdue:
            continue
        try:
            with db.session.begin_nested():
                notify_user(user, "digest", dedupe_key=f"digest:{today.isoformat()}", new=new, overdue=overdue)
        except IntegrityError:  # already told today (a second scheduler, or a rerun)
            continue
        sent += 1
    return sent


def _count(*conditions: object) -> int:
    return db.session.scalar(select(func.count()).select_from(HumanTask).where(*conditions)) or 0  # type: ignore[arg-type]


def digest_job(app: Flask) -> int:
    with app.app_context():
        try:
            sent = send_daily_digests()
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("daily digest failed")
            return 0
        finally:
            db.session.remove()
    log.info("daily digest sent to %d reviewers", sent)
    return sent
