"""The one clock of the application: tests move it instead of sleeping."""

from datetime import UTC, datetime, timedelta

_offset = timedelta(0)


def now() -> datetime:
    """Current time, timezone-aware UTC, shifted by the test offset and, in development, the stored offset
    (`flask memberflow clock advance 7d`: web app and scheduler both read it from the database)."""
    return datetime.now(UTC) + _offset + _stored_offset()


def _stored_offset() -> timedelta:
    from flask import current_app, has_app_context

    if not has_app_context() or not current_app.config.get("MEMBERFLOW_DEV_CLOCK"):
        return timedelta(0)
    from app.system_state import stored_clock_offset

    return stored_clock_offset()


def advance(delta: timedelta) -> None:
    """Move the clock forward (tests and demo tooling only)."""
    global _offset
    _offset += delta


def reset() -> None:
    global _offset
    _offset = timedelta(0)
