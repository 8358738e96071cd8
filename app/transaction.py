"""The transaction boundary: one commit per request, rollback on any error; SQLite tuning."""

import math
import re
from typing import Any

from flask import Flask, Response
from sqlalchemy import Index, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import operators
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

from app.errorpages import database_error_response
from app.extensions import db


def install_sqlite_pragmas(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    _PARTIAL_INDEX_COLUMNS.update(partial_index_columns(db.metadata))

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()
        dbapi_conn.create_aggregate("p90", 1, NearestRankP90)

    @event.listens_for(engine, "savepoint")
    def _begin_before_savepoint(conn, _name):  # type: ignore[no-untyped-def]
        # Python's sqlite3 begins a transaction only before a write: a SAVEPOINT after reads alone would begin it
        # itself, and its RELEASE would commit everything so far (an operation's writes would outlive a failure
        # later in the request). Begin first, so that the savepoint is nested and only the commit commits.
        dbapi_conn = conn.connection.dbapi_connection
        if dbapi_conn is not None and not dbapi_conn.in_transaction:
            dbapi_conn.execute("BEGIN")


def install_postgresql_settings(engine: Engine) -> None:
    """Each connection plans a prepared statement with the values it runs with, every time.

    psycopg prepares a statement on the server after its fifth run on a connection, and PostgreSQL may then keep one
    generic plan for any values. The inbox's statements filter by organisation, and organisations are skewed: an
    average one has a few tasks, a provincial association thousands. The generic plan of the inbox's name search
    (measured 2026-12-06, 20,000 instances) expected one task per scope and joined the scope with itself: seconds
    per page after the fifth, where the plan for the values takes under 1 ms. Planning each time costs the server
    a fraction of a millisecond, as an unprepared statement does."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "connect")
    def _custom_plans(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute("SET plan_cache_mode = force_custom_plan")
        cur.close()
        dbapi_conn.commit()


# SQLite prepares a statement again at every execution when a bound value could change its plan: a value compared
# with a column that a partial index's WHERE names (member.status = ? with uq_member_one_active, status = 'active').
# Measured (issue 13): 18 µs instead of 3.4 µs for one EXISTS on member, 150 µs instead of ~20 µs for the API
# token's query. Such comparisons are rendered with the value written into the SQL at execution (SQLAlchemy's
# "literal execute": the compiled statement stays cached and shared, the value is quoted by the dialect), so
# the text SQLite sees is the same each time and stays prepared in the connection's statement cache.
_PARTIAL_INDEX_COLUMNS: set[tuple[str, str]] = set()
_INLINED_OPERATORS = (operators.eq, operators.ne, operators.in_op, operators.not_in_op)


def partial_index_columns(metadata: MetaData) -> set[tuple[str, str]]:
    """(table, column) of every column a partial index's SQLite WHERE clause names."""
    found: set[tuple[str, str]] = set()
    for table in metadata.tables.values():
        for index in table.indexes:
            where = _sqlite_where(index)
            if where:
                words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", where))
                found.update((table.name, column.name) for column in table.columns if column.name in words)
    return found


def _sqlite_where(index: Index) -> str | None:
    where = index.dialect_options["sqlite"].get("where")
    return None if where is None else str(where)


@compiles(BinaryExpression, "sqlite")
def _partial_index_values_written(element: BinaryExpression[Any], compiler: SQLCompiler, **kw: Any) -> str:
    left, right = element.left, element.right
    if (
        element.operator in _INLINED_OPERATORS
        and isinstance(right, BindParameter)
        and isinstance(right.value, str | list | tuple)
        and (getattr(getattr(left, "table", None), "name", None), getattr(left, "name", None)) in _PARTIAL_INDEX_COLUMNS
    ):
        kw["literal_execute"] = True
    return compiler.visit_binary(element, **kw)


class NearestRankP90:
    """SQLite aggregate `p90(x)`: the ⌈0.9·n⌉-th smallest value, as PostgreSQL's percentile_disc(0.9) gives it
    (the workload dashboard's handling times, app/workflow/workload.py)."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: float | None) -> None:
        if value is not None:
            self.values.append(value)

    def finalize(self) -> float | None:
        if not self.values:
            return None
        self.values.sort()
        return self.values[math.ceil(0.9 * len(self.values)) - 1]


def install_transaction_boundary(app: Flask) -> None:
    @app.after_request
    def _commit(response: Response) -> Response:
        # 422 is refused input: the service saved the draft and uploads first, so nothing typed is lost
        # a refused login's attempt was already committed by commit_now (R-ACC-3)
        if response.status_code < 400 or response.status_code == 422:
            try:
                db.session.commit()
            except SQLAlchemyError as err:  # the answer the view gave is void: say what happened instead
                return database_error_response(err)
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def _rollback(exc: BaseException | None) -> None:
        if exc is not None:
            db.session.rollback()


def commit_now() -> None:
    """Commit at once, inside the request: for counters that must hold before slow work (R-ACC-3 attempts).

    Only the account services call it, at the start of a login-like request when nothing else is pending;
    the request's own commit or rollback at the end then finds nothing left of it."""
    db.session.commit()
