"""A completion and a migration of the same instance at once: the instance lock orders them, nothing is lost."""

import threading

from sqlalchemy import select

from app.accounts.models import User
from app.consistency import check_instances
from app.demo import load_demo
from app.errors import Conflict
from app.extensions import db
from app.migration import apply
from app.migration.plan import short
from app.workflow import services
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance
from app.workflow.steps import lock_instance_of_task
from tests.migration.conftest import catalog_of, start_mig


def test_a_completion_during_a_migration_waits_for_it_or_is_refused(file_app, monkeypatch):
    with file_app.app_context():
        v1 = catalog_of("v1")
        monkeypatch.setitem(file_app.extensions, "memberflow.catalog", v1)
        world = load_demo()
        instance = start_mig(world.applicant)
        db.session.commit()
        instance_id, applicant_id = instance.id, world.applicant.id
        task_id = db.session.scalars(select(HumanTask.id).where(HumanTask.instance_id == instance_id)).one()
        v2 = catalog_of("v2")
        monkeypatch.setitem(file_app.extensions, "memberflow.catalog", v2)
        postgres = db.engine.dialect.name == "postgresql"

    in_lock, go, outcome = threading.Event(), threading.Event(), {}
    real_migrate = apply.migrate_if

    def migrate_holding_the_lock(*args):  # type: ignore[no-untyped-def]
        in_lock.set()
        assert go.wait(30)  # an event, not a sleep: the completion below releases it when it asks for the lock
        return real_migrate(*args)

    def lock_then_release(task_id, user_id):  # type: ignore[no-untyped-def]
        go.set()
        return lock_instance_of_task(task_id, user_id)

    monkeypatch.setattr(apply, "migrate_if", migrate_holding_the_lock)
    monkeypatch.setattr(services, "lock_instance_of_task", lock_then_release)

    def migrate() -> None:
        with file_app.app_context():
            outcome["report"] = apply.migrate_instances("mig", short(v1.current["mig"]), short(v2.current["mig"]), None)

    def complete() -> None:
        with file_app.app_context():
            try:
                services.submit_task(task_id, db.session.get(User, applicant_id), {"agree_rules": True})
                db.session.commit()
                outcome["completion"] = "done"
            except Conflict:
                db.session.rollback()
                outcome["completion"] = "conflict"

    migration = threading.Thread(target=migrate)
    migration.start()
    assert in_lock.wait(30)  # the migration holds the instance's lock now
    completion = threading.Thread(target=complete)
    completion.start()
    migration.join(60)
    completion.join(60)

    report = outcome["report"]
    with file_app.app_context():
        instance = db.session.get(ProcessInstance, instance_id)
        open_rows = db.session.scalars(select(HumanTask).where(HumanTask.status == "open")).all()
        submitted = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "submitted")).all()
        if postgres:  # FOR UPDATE: the completion waited, then ran on the migrated state
            assert report.moved == [instance_id] and outcome["completion"] == "done"
        if report.moved and outcome["completion"] == "done":  # migrated, then completed on v2: its next step
            assert instance.spec_key == v2.current["mig"]
            assert [r.bpmn_id for r in open_rows] == ["Task_B"] and len(submitted) == 1
        elif report.moved:  # the completion was refused as stale: the task is still there, on v2, nothing half-done
            assert instance.spec_key == v2.current["mig"] and submitted == []
            assert [(r.id, r.name) for r in open_rows] == [(task_id, "填写（新版）")]
        else:  # SQLite: the completion committed first; the migration saw it and left the instance on v1
            assert outcome["completion"] == "done" and instance.spec_key == v1.current["mig"]
            assert report.skipped[instance_id] == ["该申请刚刚已被他人处理，未迁移；请重新试运行"]
            assert [r.bpmn_id for r in open_rows] == ["Task_B"] and len(submitted) == 1
        events = [(e.action, e.step) for e in db.session.scalars(select(AuditEvent))]
        assert list(check_instances()) == [], events
