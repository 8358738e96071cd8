"""The transaction boundary: one commit per request, rollback on any error; SQLite tuning."""

import math

from flask import Flask, Response
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.errorpages import database_error_response
from app.extensions import db


def install_sqlite_pragmas(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

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
