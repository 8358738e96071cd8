"""Two workers on one database (issue 17 items 1 and 3): a version published in one runs in the other within
seconds without a restart, and two analysts publishing from the same base cannot both win (the database decides)."""

import os
import threading
import time
from pathlib import Path

import pytest

from app import create_app
from app.config import TestConfig
from app.engine import specs
from app.extensions import db
from app.workbench.catalog import PublishConflict, import_files, live_version, publish, versions_of
from app.workbench.live import disk_sources, refresh_catalog

ROOT = Path(__file__).resolve().parents[2]
TRANSFER = (ROOT / "processes" / "transfer.bpmn").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """Two app instances (as two gunicorn workers) on one database: a SQLite file, or the PostgreSQL test database."""
    url = os.environ.get("MEMBERFLOW_TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'two.db'}"

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        MEMBERFLOW_STORAGE_DIR = str(tmp_path_factory.mktemp("files"))
        MEMBERFLOW_CATALOG_CHECK_SECONDS = 0.0  # every request checks; the default is every 2 s

    first, second = create_app(Cfg), create_app(Cfg)
    with first.app_context():
        db.create_all()
    yield first, second
    for app in (first, second):
        with app.app_context():
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            db.session.commit()
            db.session.remove()
            db.engine.dispose()


def _started(app):
    with app.app_context():
        import_files(disk_sources(app))
        db.session.commit()
        refresh_catalog(app)
        return live_version("bpmn", "transfer.bpmn").id


def test_a_version_published_in_one_worker_runs_in_the_other_at_its_next_request(two_workers):
    first, second = two_workers
    base = _started(first)
    with second.app_context():
        refresh_catalog(second)
        assert specs.catalog_of(second).process("transfer").name == "转所申请"
    edited = TRANSFER.replace('name="转所申请"', 'name="转所申请（新）"', 1)
    with first.app_context():
        publish("bpmn", "transfer.bpmn", edited, base, None, "", "web")
        db.session.commit()
    started = time.monotonic()
    second.test_client().get("/healthz")  # any request: the worker checks the catalog's generation first
    seconds = time.monotonic() - started
    assert specs.catalog_of(second).process("transfer").name == "转所申请（新）"
    print(f"published in one worker, running in the other after {seconds:.2f} s")  # README: Workbench


def test_two_publishers_from_the_same_base_one_wins_the_other_gets_the_conflict(two_workers):
    first, second = two_workers
    base = _started(first)
    holding, second_starts = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def publish_in(app, label, content, hold):
        with app.app_context():
            try:
                publish("bpmn", "transfer.bpmn", content, base, None, label, "web")
                if hold:  # keep the live pointer locked until the other publisher is on its way
                    holding.set()
                    second_starts.wait(30)
                db.session.commit()
                results[label] = "published"
            except PublishConflict as err:
                db.session.rollback()
                results[label] = err.live.comment if err.live else None
            finally:
                db.session.remove()

    a = threading.Thread(target=publish_in, args=(first, "A", TRANSFER + "<!-- A -->", True))
    a.start()
    assert holding.wait(30)
    b = threading.Thread(target=publish_in, args=(second, "B", TRANSFER + "<!-- B -->", False))
    b.start()
    second_starts.set()
    a.join(60)
    b.join(60)
    assert results == {"A": "published", "B": "A"}  # B learns which version is live now
    with first.app_context():
        assert live_version("bpmn", "transfer.bpmn").content == TRANSFER + "<!-- A -->"
        assert [v.comment for v in versions_of("bpmn", "transfer.bpmn")][0] == "A"
        assert not any(v.comment == "B" for v in versions_of("bpmn", "transfer.bpmn"))
