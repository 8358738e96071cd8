"""Small process-wide facts kept in the database, where web workers and the scheduler both see them.

- `scheduler_heartbeat`: updated_at is the scheduler's last sweep (app/scheduler.py); /healthz reads it.
- `clock_offset`: the development clock's offset in seconds (`flask memberflow clock …`; app/clock.py reads it).
"""

import time
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import String, Text, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import Base, db

HEARTBEAT = "scheduler_heartbeat"
CLOCK_OFFSET = "clock_offset"


class SystemState(Base):
    __tablename__ = "system_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


def put(key: str, value: str | None = None) -> None:
    """Set a fact and commit it (a sweep or a command, never inside a request's transaction)."""
    row = db.session.get(SystemState, key)
    if row is None:
        db.session.add(SystemState(key=key, value=value, updated_at=clock.now()))
    else:
        row.value, row.updated_at = value, clock.now()
    try:
        db.session.commit()
    except IntegrityError:  # another process inserted the same key first: update theirs
        db.session.rollback()
        put(key, value)


def get(key: str) -> SystemState | None:
    return db.session.get(SystemState, key)


def record_heartbeat() -> None:
    put(HEARTBEAT)


# a development clock's offset is read at most once a second per process (now() is called often)
CLOCK_CACHE_SECONDS = 1.0


def stored_clock_offset() -> timedelta:
    """The development clock offset (0 when none is stored), read on a connection of its own."""
    cache = current_app.extensions.setdefault("memberflow.dev_clock", {"read_at": -CLOCK_CACHE_SECONDS, "offset": 0.0})
    if time.monotonic() - cache["read_at"] >= CLOCK_CACHE_SECONDS:
        try:
            with db.engine.connect() as conn:
                value = conn.scalar(select(SystemState.value).where(SystemState.key == CLOCK_OFFSET))
        except SQLAlchemyError:  # no table yet (a database before `flask memberflow upgrade`)
            value = None
        cache.update(read_at=time.monotonic(), offset=float(value or 0))
    return timedelta(seconds=cache["offset"])


def set_clock_offset(offset: timedelta) -> None:
    put(CLOCK_OFFSET, str(offset.total_seconds()))
    current_app.extensions.pop("memberflow.dev_clock", None)


def clock_offset() -> timedelta:
    row = get(CLOCK_OFFSET)
    return timedelta(seconds=float(row.value)) if row is not None and row.value else timedelta(0)
