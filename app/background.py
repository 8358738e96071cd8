"""Work that outlives its request (imports, large exports): a job row committed first, a thread that does the work
in its own app context and transaction, progress written on a connection of its own, a failure recorded on the row."""

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.transaction import commit_now


def runs_inline() -> bool:
    """Tests (MEMBERFLOW_IMPORT_DELIVERY=inline) do the work in the request's own transaction."""
    return bool(current_app.config["MEMBERFLOW_IMPORT_DELIVERY"] == "inline")


def start(
    work: Callable[[], object],
    failed: Callable[[Exception], None],
    label: str,
    heartbeat: tuple[Callable[[], None], float] | None = None,
) -> None:
    """Commit what the request wrote (the job row), then run `work` in a thread; it commits once at the end. On an
    exception its transaction is rolled back and `failed(err)` runs (and commits) so the page stops waiting.
    `heartbeat` = (beat, seconds): `beat` runs every so many seconds while the work runs (the job's lease)."""
    commit_now()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    threading.Thread(target=_run, args=(app, work, failed, label, heartbeat), daemon=True).start()


def _beating(app: Flask, beat: Callable[[], None], seconds: float, stop: threading.Event, label: str) -> None:
    with app.app_context():
        while not stop.wait(seconds):
            try:
                beat()
            except SQLAlchemyError:  # the work's own bulk write may hold SQLite's lock: the next beat will do
                app.logger.warning("%s: heartbeat not written", label)


def _run(
    app: Flask,
    work: Callable[[], object],
    failed: Callable[[Exception], None],
    label: str,
    heartbeat: tuple[Callable[[], None], float] | None,
) -> None:
    stop = threading.Event()
    if heartbeat is not None:
        threading.Thread(target=_beating, args=(app, *heartbeat, stop, label), daemon=True).start()
    with app.app_context():
        try:
            work()
            db.session.commit()
        except Exception as err:
            db.session.rollback()
            failed(err)
            db.session.commit()
            app.logger.exception("%s failed", label)
        finally:
            stop.set()
            db.session.remove()


def write_progress(model: Any, job_id: int, *where: Any, **values: Any) -> None:
    """On a connection of its own: the work's transaction may hold SQLite's one write lock only at its end, and the
    polling page must see the numbers before it commits."""
    with db.engine.begin() as conn:
        conn.execute(update(model).where(model.id == job_id, *where).values(**values))
