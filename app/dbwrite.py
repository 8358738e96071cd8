"""Insert-or-get and insert-or-replace on SQLite and PostgreSQL alike, for rows concurrent requests may write."""

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


def upsert(model: Any, values: dict[str, Any], key: list[str]) -> None:
    """INSERT … ON CONFLICT (key) DO UPDATE: one statement, so two requests writing the same row both succeed
    (the later one's values stay) without a lock or a row version."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(model).values(**values)
    changed = {name: stmt.excluded[name] for name in values if name not in key}
    db.session.execute(stmt.on_conflict_do_update(index_elements=key, set_=changed))
