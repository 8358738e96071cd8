"""Two connections at once on SQLite: an operation that reads and then writes is not refused mid-run."""

import pytest
from sqlalchemy import create_engine, select, text

from app.demo import load_demo
from app.engine.scripting import OPERATIONS
from app.extensions import db
from app.organizations.models import Organization
from tests.processes.test_join_practicing import review, submit_application


def test_admission_goes_through_while_another_connection_writes(file_app, upload, monkeypatch):
    """R-JOIN-3: the national approval admits the member (reads the firm, then inserts the member). Another
    request committing between that read and that write made SQLite refuse the insert ('database is locked',
    a 503 to the reviewer); the run now takes the write lock before the operation, so the other one waits."""
    with file_app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
    if not url.startswith("sqlite"):
        pytest.skip("PostgreSQL locks rows and never refuses a write for an earlier read")
    other = create_engine(url, connect_args={"timeout": 0.2})  # gives up on a lock after 0.2 s
    other_writes = []
    admit = OPERATIONS["members/admit_member"]

    def admit_while_another_writes(**params):
        db.session.scalar(select(Organization.name).limit(1))  # the operation reads first
        try:
            with other.begin() as conn:
                conn.execute(text("UPDATE organization SET name = name"))
            other_writes.append("committed")
        except Exception as err:  # the lock is held: the other connection has to wait
            other_writes.append(type(err).__name__)
        return admit(**params)

    monkeypatch.setitem(OPERATIONS, "members/admit_member", admit_while_another_writes)
    with file_app.app_context():
        world = load_demo()
        db.session.commit()
        instance = submit_application(world, upload)
        review(world, instance, world.firm_reviewer)
        review(world, instance, world.local_reviewer)
        db.session.commit()
        review(world, instance, world.national_reviewer)
        db.session.commit()
        assert instance.status == "approved" and other_writes == ["OperationalError"]
        db.session.remove()
    other.dispose()


def test_the_write_lock_rewrites_nothing_of_the_instance(file_app, upload):
    """The lock taken before an operation (steps.sqlite_write_lock) is a write that changes nothing. As
    `SET id = id` it changed the row's key: SQLite rewrote the row, its overflow pages (the stored state) and every
    index of process_instance, ~8 more pages in each apply and national commit (scripts/bench_wal_pages.py)."""
    from pathlib import Path

    from app.workflow.steps import lock_instance, sqlite_write_lock

    with file_app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's write lock only")
        world = load_demo()
        db.session.commit()
        instance_id = submit_application(world, upload).id
        db.session.commit()
        connection = db.session.connection()
        connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")  # the WAL only grows from here
        wal = Path(f"{db.engine.url.database}-wal")
        lock_instance(instance_id)
        before = wal.stat().st_size
        sqlite_write_lock()
        db.session.commit()
        assert wal.stat().st_size == before  # no page written
