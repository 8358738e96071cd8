"""Issue 15 item 5: reviewers' daily digest of new and overdue tasks (a scheduler job), once a day per person."""

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.notify.digest import digest_job, send_daily_digests
from app.notify.inapp import set_sms_enabled
from app.notify.models import Notification, OutboxMessage
from tests.workflow.inbox_rows import make_inbox_task


def digests(user):
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id, Notification.event == "digest")
            .order_by(Notification.id)
        )
    )


def sms_to(user):
    return list(db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient == user.mobile)))


def test_each_reviewer_gets_their_counts_once_a_day(app, world):
    make_inbox_task(world.applicant, world.local_bj)  # new
    make_inbox_task(world.returning, world.local_bj, arrived=clock.now() - timedelta(days=9), due_in=3)  # overdue
    make_inbox_task(world.applicant, world.firm_bj, role="firm", arrived=clock.now() - timedelta(days=3))  # neither
    db.session.commit()
    assert digest_job(app) >= 1
    [note] = digests(world.local_reviewer)
    assert "1 项新到达的任务、1 项已超期的任务" in note.body
    assert any("1 项新到达的任务" in b for b in sms_to(world.local_reviewer))
    assert digests(world.firm_reviewer) == [] and digests(world.other_local_reviewer) == []
    assert digest_job(app) == 0  # a rerun the same day (or a second scheduler) tells nobody again
    assert len(digests(world.local_reviewer)) == 1


def test_next_day_is_a_new_digest_and_the_sms_switch_holds(app, world):
    make_inbox_task(world.applicant, world.local_bj, due_in=1)
    set_sms_enabled(world.local_reviewer, False)
    db.session.commit()
    send_daily_digests()
    db.session.commit()
    clock.advance(timedelta(days=2))
    send_daily_digests()
    db.session.commit()
    notes = digests(world.local_reviewer)
    assert len(notes) == 2 and "1 项已超期" in notes[1].body
    assert not any("待办" in b for b in sms_to(world.local_reviewer))
