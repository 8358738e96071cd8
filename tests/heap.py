"""Rows that PostgreSQL returns in another order than they were inserted, as in a long-lived database.

Without an ORDER BY, PostgreSQL returns rows in heap order, and once rows have been deleted or updated a row may sit
anywhere in it: a new one in the free space before older ones, a moved one after newer ones. SQLite keeps rowid
order, so there these rewrites change nothing: a test built on them fails on PostgreSQL only, as the bug did."""

from typing import Any

from sqlalchemy import delete, insert, select

from app.extensions import db


def put_last_in_heap(model: Any, *ids: int) -> None:
    """Delete these rows and insert them again unchanged (same ids): on PostgreSQL they then come back after every
    other row of the table, by a table scan and by an index scan alike (an UPDATE may not: a heap-only update keeps
    the row's index entry where it was)."""
    db.session.flush()
    table = model.__table__
    rows = [dict(row._mapping) for row in db.session.execute(select(table).where(table.c.id.in_(ids)))]
    db.session.execute(delete(table).where(table.c.id.in_(ids)))
    db.session.execute(insert(table), rows)
    db.session.commit()
    db.session.expire_all()


def in_either_heap_order(model: Any, first_id: int, check: Any) -> None:
    """`check()` with the rows in insertion order, then with the row `first_id` moved after the others: a query whose
    order leaves a tie to the database fails one of the two on PostgreSQL with the plans it chose for these tests (a
    small sort keeps heap order among equal keys, a backward index scan reverses it); SQLite passes both."""
    check()
    put_last_in_heap(model, first_id)
    check()


def copy_row(model: Any, row_id: int, **changes: Any) -> int:
    """A new row with the values of row `row_id` but `changes` (its own id): the id of the copy."""
    table = model.__table__
    values = dict(db.session.execute(select(table).where(table.c.id == row_id)).one()._mapping)
    values.pop("id")
    new_id = db.session.execute(insert(table).values({**values, **changes}).returning(table.c.id)).scalar_one()
    db.session.commit()
    return int(new_id)
