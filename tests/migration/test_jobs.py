"""A migration started from the web runs in the background with a progress page (issue 17 item 5): the request
answers at once, the worker moves the instances one transaction each, the page polls the job and then says what
was done; audited, with a failure and a lost worker said as such."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.accounts.models import User
from app.admin.models import AdminAuditEntry
from app.extensions import db
from app.migration import jobs
from app.migration.models import MigrationJob
from app.migration.plan import short
from app.workflow.models import ProcessInstance
from tests.migration.conftest import catalog_of, start_mig
from tests.migration.test_migrate import three_on_v1  # noqa: F401  (the fixture)
from tests.workflow.test_views import login


@pytest.fixture
def threaded(second_app, monkeypatch):
    """Another app whose migrations run in a thread of their own (the real delivery), with three instances of v1
    and v2 loaded; gives (app, logged-in client, v1, v2, instance ids)."""
    from app.demo import load_demo

    other = second_app("migrations", MEMBERFLOW_IMPORT_DELIVERY="thread")
    monkeypatch.setitem(other.extensions, "memberflow.catalog", catalog_of("v1"))
    with other.app_context():
        if db.session.scalar(select(User).where(User.is_admin)) is None:  # SQLite: a database file of its own
            load_demo()
        applicant = db.session.scalar(select(User).where(User.mobile == "13800000001"))
        ids = [start_mig(applicant).id for _ in range(3)]
        admin_mobile = db.session.scalar(select(User.mobile).where(User.is_admin))
        db.session.commit()
        v1 = other.extensions["memberflow.catalog"].current["mig"]
    monkeypatch.setitem(other.extensions, "memberflow.catalog", catalog_of("v2"))
    client = other.test_client()
    client.post("/login", data={"mobile": admin_mobile, "password": "Demo@2026"})
    return other, client, v1, other.extensions["memberflow.catalog"].current["mig"], ids


def _wait(client, url: str) -> str:
    deadline = time.monotonic() + 60
    while (resp := client.get(url)).headers.get("Refresh") and time.monotonic() < deadline:
        time.sleep(0.1)  # a real thread works: the page is polled as the browser would
    return resp.get_data(as_text=True)


def test_a_web_migration_runs_in_the_background_and_its_page_says_what_was_done(threaded):
    other, client, v1, v2, ids = threaded
    url = f"/workbench/processes/mig/versions/{short(v1)}/migrate/{short(v2)}"
    resp = client.post(url, data={"instance": [str(i) for i in ids]})
    assert resp.status_code == 302 and "/migrations/" in resp.headers["Location"]
    page = _wait(client, resp.headers["Location"])
    assert "迁移完成：已迁移 3 个申请" in page and "试运行" not in page
    with other.app_context():
        assert set(db.session.scalars(select(ProcessInstance.spec_key).where(ProcessInstance.id.in_(ids)))) == {v2}
        job = db.session.scalars(select(MigrationJob)).one()
        assert (job.status, job.total, job.moved, job.skipped_count) == ("done", 3, 3, 0)
        logged = db.session.scalars(select(AdminAuditEntry).where(AdminAuditEntry.action == "process.migrate")).one()
        assert logged.details["job"] == job.id and logged.details["moved"] == 3


def test_a_failed_migration_job_says_so_and_is_audited(threaded, monkeypatch):
    other, client, v1, v2, ids = threaded

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(jobs, "migrate_instances", broken)
    resp = client.post(f"/workbench/processes/mig/versions/{short(v1)}/migrate/{short(v2)}", data={"instance": ids})
    page = _wait(client, resp.headers["Location"])
    assert "迁移中断（RuntimeError: 磁盘已满）" in page
    with other.app_context():
        logged = db.session.scalars(select(AdminAuditEntry).where(AdminAuditEntry.action == "process.migrate")).one()
        assert "磁盘已满" in logged.details["error"]


def test_a_migration_job_whose_worker_died_is_marked_failed_when_its_lease_lapses(client, world, three_on_v1):  # noqa: F811
    v1, v2, _ = three_on_v1
    job = MigrationJob(
        process_id="mig",
        from_key=v1,
        to_key=v2,
        total=3,
        created_by_id=world.admin.id,
        status="running",
        heartbeat_at=clock.now(),
        skipped={},
    )
    db.session.add(job)
    db.session.commit()
    login(client, world.admin)
    url = f"/workbench/processes/mig/migrations/{job.id}"
    clock.advance(timedelta(minutes=4))
    assert client.get(url).headers.get("Refresh") == "2"  # within the 5-minute lease: still running
    clock.advance(timedelta(minutes=1, seconds=1))
    resp = client.get(url)
    assert "Refresh" not in resp.headers and "迁移进程已中断" in resp.get_data(as_text=True)
    assert client.get(f"/workbench/processes/other/migrations/{job.id}").status_code == 404
