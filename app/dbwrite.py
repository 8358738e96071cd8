"""Insert-or-get on SQLite and PostgreSQL alike, for rows that concurrent requests may insert at once."""

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db


def insert_unless_present(model: Any, values: dict[str, Any], key: list[str] | None = None) -> bool:
    """INSERT … ON CONFLICT (key) DO NOTHING; True if this call inserted the row, False if it was there.

    Without `key`, any unique constraint or index of the table counts (e.g. a partial unique index).

    A check-then-insert loses the race to a second worker doing the same (a unique violation, a 500);
    the database decides here, and the loser simply finds the row.
    """
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(model).values(**values).on_conflict_do_nothing(index_elements=key)
    return bool(db.session.execute(stmt).rowcount)  # type: ignore[attr-defined]
