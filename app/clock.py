"""The one clock of the application: tests move it instead of sleeping."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import current_app, has_app_context

from app.config import Config

_offset = timedelta(0)
# a scenario run (app/scenarios) moves only its own time: set in its context, never seen by other requests
_own_offset: ContextVar[timedelta | None] = ContextVar("memberflow_own_clock", default=None)


def now() -> datetime:
    """Current time, timezone-aware UTC, shifted by the test offset and, in development, the stored offset
    (`flask memberflow clock advance 7d`: web app and scheduler both read it from the database)."""
    own = _own_offset.get()
    if own is not None:
        return datetime.now(UTC) + own
    return datetime.now(UTC) + _offset + _stored_offset()


def _stored_offset() -> timedelta:
    from flask import current_app, has_app_context

    if not has_app_context() or not current_app.config.get("MEMBERFLOW_DEV_CLOCK"):
        return timedelta(0)
    from app.system_state import stored_clock_offset

    return stored_clock_offset()


def advance(delta: timedelta) -> None:
    """Move the clock forward (tests and demo tooling only); inside `own_clock()` only that clock moves."""
    global _offset
    own = _own_offset.get()
    if own is not None:
        _own_offset.set(own + delta)
        return
    _offset += delta


@contextmanager
def own_clock(start: datetime | None = None) -> Iterator[None]:
    """A clock of this context only (a scenario on a throwaway database): starts at `start` (else now) and moves
    with `advance`, while the process's clock, the stored development offset and other requests stay where they are.
    """
    token = _own_offset.set((start - datetime.now(UTC)) if start else timedelta(0))
    try:
        yield
    finally:
        _own_offset.reset(token)


def reset() -> None:
    global _offset
    _offset = timedelta(0)


def zone() -> ZoneInfo:
    """The association's time zone (MEMBERFLOW_TIMEZONE): its calendar decides business dates."""
    name = current_app.config["MEMBERFLOW_TIMEZONE"] if has_app_context() else Config.MEMBERFLOW_TIMEZONE
    return ZoneInfo(name)


def local_date(moment: datetime) -> date:
    """The association's calendar day at `moment`."""
    return moment.astimezone(zone()).date()


def today() -> date:
    """The association's calendar day now: joining, practice months, deadlines and number years count in it.

    A UTC date would put an approval at 07:30 Beijing time on 1 January on 31 December.
    """
    return local_date(now())


def start_of_day(day: date) -> datetime:
    """The UTC instant at which `day` begins in the association's time zone."""
    return datetime.combine(day, time(), zone()).astimezone(UTC)


# to the minute, in the association's time zone: 2026-12-04 17:05 in Chinese, 4 Dec 2026, 17:05 in English
_PATTERNS = {"zh": "yyyy-MM-dd HH:mm", "en": "d MMM y, HH:mm"}


def format_local(moment: datetime | None, locale: str | None = None) -> str:
    """A stored (UTC) time as people read it: the association's wall-clock time, to the minute, in the page's
    language (`locale` None) or the one given (PDFs stay Chinese: "zh")."""
    if not moment:
        return ""
    if locale is None:
        from app.i18n import current_locale

        locale = current_locale()
    if locale not in _PATTERNS or locale == "zh":  # yyyy-MM-dd HH:mm, ASCII digits: what Babel gives, 10x cheaper
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        return aware.astimezone(zone()).strftime("%Y-%m-%d %H:%M")
    return format_datetime(moment, _PATTERNS[locale], tzinfo=zone(), locale=locale)
