"""Migrating the instances that can move: one transaction per instance, under the instance lock, in batches.

Each instance is checked again under its lock (it may have moved on since the dry run), moved with the engine's
migrate (steps matched by BPMN id, nothing run), mirrored (its open tasks keep their rows: a waiting step keeps
its task id; their names and due times follow the new version), and its timeline says so.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.models import User
from app.admin.audit import record_admin_action
from app.engine import runtime
from app.engine.migration import MigrationCheck, migrate_if
from app.engine.specs import ProcessVersion
from app.errors import DomainError
from app.extensions import db
from app.migration.plan import explain, pair, running_ids, short
from app.workflow.due import due_days
from app.workflow.mirror import apply_snapshot
from app.workflow.steps import audit, flush_or_conflict, lock_instance, open_tasks_at_lock
from app.workflow.versions import persist_version

BATCH = 100


@dataclass
class MigrationReport:
    moved: list[int] = field(default_factory=list)
    skipped: dict[int, list[str]] = field(default_factory=dict)  # instance id -> why it stays


def _follow_open_tasks(instance_id: int, rows: list, new: ProcessVersion, snap: runtime.Snapshot) -> None:  # type: ignore[type-arg]
    """A waiting step kept its task id: its row takes the new version's name and due time."""
    ready = {r.task_id: r for r in snap.ready}
    for row in rows:
        r = ready.get(row.task_uuid)
        if r is None or row.status != "open":
            continue
        row.name = r.name
        days = due_days(row.process_id, r.properties.get("dueDays"))
        row.due_at = r.due_at or (row.created_at + timedelta(days=days) if days else None)
        row.due_note = r.due_note


def migrate_one(instance_id: int, old: ProcessVersion, new: ProcessVersion, actor: User | None) -> list[str]:
    """Move one instance (in the caller's transaction, under its lock); the reasons it cannot, else []."""
    instance = lock_instance(instance_id)
    if instance.status != "running" or instance.spec_key != old.key:
        return [gettext("该申请已不在原版本上运行（已办结或已迁移）")]
    why: list[str] = []

    def accept(check: MigrationCheck) -> bool:
        why.extend(explain(check, old, new))
        return not why

    rows = list(open_tasks_at_lock(instance) or [])
    try:
        _, snap = migrate_if(old, new, instance.state, instance.serializer_version, accept)
    except runtime.EngineError as err:
        return [gettext("迁移时流程出错：%(e)s", e=str(err))]
    if snap is None:
        return why
    instance.spec_key = new.key
    apply_snapshot(instance, new, snap, instance.applicant.name)
    _follow_open_tasks(instance.id, rows, new, snap)
    comment = gettext("迁移到版本 %(new)s（原版本 %(old)s）", new=short(new.key), old=short(old.key))
    audit(instance, actor, "migrated", step=instance.current_step, comment=comment)
    flush_or_conflict()
    return []


def migrate_instances(
    process_id: str,
    from_label: str,
    to_label: str,
    actor: User | None,
    instance_ids: list[int] | None = None,
    batch: int = BATCH,
    progress: Callable[[MigrationReport], None] | None = None,
    audit_details: dict[str, Any] | None = None,
) -> MigrationReport:
    """Migrate every selected running instance of A that can move to B; each commits on its own (one that
    fails or conflicts is rolled back alone and reported). Audited once in the administrators' log."""
    old, new = pair(process_id, from_label, to_label)
    persist_version(new)  # once: every moved instance is pinned to it
    db.session.commit()
    report, after_id = MigrationReport(), 0
    while True:
        ids = running_ids(process_id, old.key, instance_ids, after_id, batch)  # each is read under its lock
        if not ids:
            break
        for instance_id in ids:
            try:
                why = migrate_one(instance_id, old, new, actor)
                if not why:
                    db.session.commit()
            except DomainError as err:
                why = [str(getattr(err, "message", err))]
            except StaleDataError:  # another transaction changed the instance first (SQLite has no row locks)
                why = [gettext("该申请刚刚已被他人处理，未迁移；请重新试运行")]
            if why:
                db.session.rollback()
                report.skipped[instance_id] = why
            else:
                report.moved.append(instance_id)
        after_id = ids[-1]
        if progress is not None:
            progress(report)
    details = {"from": short(old.key), "to": short(new.key), "moved": len(report.moved), "skipped": len(report.skipped)}
    details.update(audit_details or {})
    record_admin_action(actor, "process.migrate", process_id, details)
    db.session.commit()
    return report
