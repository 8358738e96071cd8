"""Small process-wide facts kept in the database, where web workers and the scheduler both see them.

- `scheduler_heartbeat`: updated_at is the scheduler's last sweep (app/scheduler.py); /healthz reads it.
- `clock_offset`: the development clock's offset in seconds (`flask memberflow clock …`; app/clock.py reads it).
"""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.exc import IntegrityError
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
