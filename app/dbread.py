"""Reading with a Core SELECT on the session's connection, for the short reads a request makes many times."""

from typing import Any

from sqlalchemy import Executable, Result

from app.extensions import db


def read(statement: Executable, params: dict[str, Any] | None = None) -> Result[Any]:
    """Run `statement` on the session's connection after the flush the ORM's execute would do (only when the session
    autoflushes), so it sees what the session holds. Without the ORM's step around a Core SELECT, which cost about
    as much as a short statement itself (issue 13: 30-90 µs a statement)."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)
