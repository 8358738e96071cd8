"""`flask memberflow check`: does the database agree with itself and with the stored files? (after a restore)

- every instance's stored workflow state loads, on its pinned process version;
- its human_task mirror agrees with it: the open tasks are exactly the ready user tasks of the state, and an
  instance that is no longer running has none open;
- its audit trail: a `started` event, and an event by the person who completed each completed task, for it;
- every attachment row's file is in the store, with the size and SHA-256 the row says;
- every process, rule and form file loads (e.g. no process names a missing DMN table), with file and line.
"""

import hashlib
from collections.abc import Iterator

from sqlalchemy import select

from app.engine import runtime
from app.engine.specs import catalog
from app.extensions import db
from app.files.models import Attachment
from app.files.storage import storage
from app.workflow.models import AuditEvent, HumanTask, ProcessInstance
from app.workflow.versions import version_of

BATCH = 200


def check_files() -> Iterator[str]:
    """The analysts' files the loader refused (they are not in use): one line each, file:line: reason."""
    yield from (f"file not used: {p}" for p in catalog().problems)


def check_instances() -> Iterator[str]:
    """One line per problem found, instance by instance (streamed in batches: any number of instances)."""
    last_id = 0
    while True:
        batch = list(
            db.session.scalars(
                select(ProcessInstance).where(ProcessInstance.id > last_id).order_by(ProcessInstance.id).limit(BATCH)
            )
        )
        if not batch:
            return
        for instance in batch:
            yield from (f"instance {instance.id} ({instance.title}): {p}" for p in _instance_problems(instance))
        last_id = batch[-1].id
        db.session.expunge_all()  # bounded memory: states are large


def _instance_problems(instance: ProcessInstance) -> Iterator[str]:
    tasks = list(db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id)))
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance.id)))
    open_ids = {t.task_uuid for t in tasks if t.status == "open"}
    try:
        snap = runtime.inspect(version_of(instance), instance.state, instance.serializer_version)
    except Exception as err:  # any failure to load is the finding, whatever raised it
        yield f"stored state does not load ({type(err).__name__}: {err})"
    else:
        ready = {r.task_id: r.name for r in snap.ready} if instance.status == "running" else {}
        if missing := sorted(ready[i] for i in ready.keys() - open_ids):
            yield f"ready in the state but no open task row: {', '.join(missing)}"
        if extra := sorted(t.name for t in tasks if t.status == "open" and t.task_uuid not in ready):
            yield f"open task rows the state does not have ready: {', '.join(extra)}"
        if instance.status == "running" and snap.completed:
            yield "the state has ended but the instance is still marked running"
    if not any(e.action == "started" for e in events):
        yield "audit trail has no 'started' event"
    for task in tasks:  # completed_by_id, not status: the mirror marks a just-completed row "cancelled" (see report)
        if task.completed_by_id is not None and not any(
            e.actor_id == task.completed_by_id and e.step == task.name and e.form_key == task.form_key for e in events
        ):
            yield f"completed task {task.name} (#{task.id}) has no audit event by the person who completed it"


def check_attachments() -> Iterator[str]:
    store = storage()
    rows = db.session.execute(select(Attachment.id, Attachment.sha256, Attachment.size).order_by(Attachment.id))
    for attachment_id, sha256, size in rows:
        try:
            content = store.local_path(sha256).read_bytes()
        except FileNotFoundError:
            yield f"attachment {attachment_id}: file {sha256} is missing from the store"
            continue
        if hashlib.sha256(content).hexdigest() != sha256:
            yield f"attachment {attachment_id}: file {sha256} does not match its SHA-256 (changed or damaged)"
        elif len(content) != size:
            yield f"attachment {attachment_id}: file is {len(content)} bytes, the row says {size}"
