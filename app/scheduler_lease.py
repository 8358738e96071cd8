"""One active scheduler among several started: a lease row in the database, renewed by its holder.

Every scheduler process tries to take or renew the lease before each sweep; only the holder sweeps. The
holder renews it every poll; when it stops (crash, kill, a lost host) its lease expires and the next
standby to poll takes over, within `ttl + poll` seconds. Taking is one conditional UPDATE (or the first
INSERT), atomic on SQLite and PostgreSQL alike, on a short transaction of its own. The lease saves work;
it is not what prevents a double firing — that stays the instance row lock (a holder that stalled past
its lease and a new holder may overlap for one sweep, and then one of them gets the row).
Expiry is judged by each process's own clock: hosts must keep their clocks in step (NTP) to well within
the lease time.
"""

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import String, delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base, db

TIMERS = "timers"


class SchedulerLease(Base):
    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime)


def holder_id() -> str:
    """Who holds it, as an operator reads it: host, process id and a random part (unique per start)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def take_lease(holder: str, ttl: timedelta, name: str = TIMERS) -> bool:
    """Take the lease if it is free or expired, or renew it if ours; True when we hold it now."""
    now = clock.now()
    with db.engine.begin() as conn:
        renewed = conn.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == name, SchedulerLease.holder == holder)
            .values(expires_at=now + ttl)
        )
        if renewed.rowcount:
            return True
        taken = conn.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == name, SchedulerLease.expires_at <= now)
            .values(holder=holder, expires_at=now + ttl, acquired_at=now)
        )
        if taken.rowcount:
            return True
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(SchedulerLease).values(name=name, holder=holder, expires_at=now + ttl, acquired_at=now))
    except IntegrityError:  # the row exists and is someone else's, unexpired
        return False
    return True


def release_lease(holder: str, name: str = TIMERS) -> None:
    """A clean stop hands over at once instead of after the lease time."""
    with db.engine.begin() as conn:
        conn.execute(delete(SchedulerLease).where(SchedulerLease.name == name, SchedulerLease.holder == holder))


def current_holder(name: str = TIMERS) -> SchedulerLease | None:
    return db.session.get(SchedulerLease, name)
