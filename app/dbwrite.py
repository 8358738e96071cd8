"""Insert-or-get and insert-or-replace on SQLite and PostgreSQL alike, for rows concurrent requests may write."""

from typing import Any

from sqlalchemy import Select
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
    # an INSERT's row count is kept only if asked for (psycopg's is otherwise -1, which read as "inserted")
    return bool(db.session.execute(stmt.execution_options(preserve_rowcount=True)).rowcount > 0)  # type: ignore[attr-defined]


def upsert_selected(model: Any, rows: Select[Any], key: list[str], params: dict[str, Any]) -> int:
    """INSERT … SELECT … ON CONFLICT (key) DO UPDATE, of the rows a query gives (its columns labelled with the
    model's names): one statement, so two requests writing the same row both succeed (the later one's values stay)
    without a lock or a row version. How many rows it inserted or replaced, 0 when the query gave none: the query
    runs inside the writing statement, so what it checks (and locks) still holds when the row is written."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    names = list(rows.selected_columns.keys())
    stmt = dialect.insert(model.__table__).from_select(names, rows)  # the table: with params, not an ORM bulk insert
    changed = {name: stmt.excluded[name] for name in names if name not in key}
    upsert_rows = stmt.on_conflict_do_update(index_elements=key, set_=changed)
    # an INSERT's row count is kept only if asked for (psycopg's is otherwise -1)
    result = db.session.execute(upsert_rows.execution_options(preserve_rowcount=True), params)
    return int(result.rowcount)  # type: ignore[attr-defined]
