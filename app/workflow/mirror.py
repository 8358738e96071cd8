"""Writes an engine snapshot into the relational mirror: instance columns and human_task rows."""

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from app import clock
from app.engine.runtime import ReadyTask, Snapshot
from app.engine.specs import ProcessVersion
from app.extensions import db
from app.workflow.models import HumanTask, ProcessInstance


def _lookup(data: dict[str, Any], path: str | None) -> Any:
    """Resolve a dotted instance-data path named in the BPMN (orgScope="firm.local_association_id")."""
    value: Any = data
    for part in (path or "").split("."):
        if not part or not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _new_task(instance: ProcessInstance, version: ProcessVersion, ready: ReadyTask, applicant_name: str) -> HumanTask:
    props = ready.properties
    form = version.forms[props["formKey"]]
    now = clock.now()
    due_days = props.get("dueDays")
    # the 上一步 marker (navField, R-FIL-7) is an action, not an answer: a page never starts out "going back"
    prefill = {k: v for k, v in ready.data.items() if k in form.properties and k != form.ui.get("navField")}
    return HumanTask(
        instance_id=instance.id,
        process_id=instance.process_id,
        task_uuid=ready.task_id,
        bpmn_id=ready.bpmn_id,
        name=ready.name,
        role=ready.lane,
        organization_id=_lookup(ready.data, props.get("orgScope")),
        user_id=_lookup(ready.data, props.get("assignee")),
        form_key=props["formKey"],
        created_at=now,
        due_at=ready.due_at or (now + timedelta(days=int(due_days)) if due_days else None),
        due_note=ready.due_note,
        draft=prefill or None,
        title=instance.title,
        applicant_name=applicant_name,
    )


def apply_snapshot(instance: ProcessInstance, version: ProcessVersion, snap: Snapshot, applicant_name: str) -> None:
    now = clock.now()
    instance.state = snap.state
    instance.serializer_version = snap.serializer_version
    instance.progress = {"done": snap.done_ids, "current": snap.current_ids, "taken": snap.taken}
    instance.waiting_messages = snap.waiting_messages
    instance.next_timer_at = snap.next_timer_at
    instance.current_step = "、".join(t.name for t in snap.ready) or None
    instance.updated_at = now
    if snap.completed:
        outcome = version.end_properties.get(snap.end_id or "", {}).get("outcome", "completed")
        instance.status = outcome
        instance.outcome = snap.outcome_text
        instance.completed_at = now
        instance.current_step = None

    # no autoflush: the stale-row check must surface in the service's own flush, as a Conflict
    with db.session.no_autoflush:
        open_tasks = {
            t.task_uuid: t
            for t in db.session.scalars(
                select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
            )
        }
    ready_ids = {r.task_id for r in snap.ready}
    for uuid, task in open_tasks.items():
        if uuid not in ready_ids:
            task.status = "cancelled"
    for ready in snap.ready:
        if ready.task_id not in open_tasks:
            db.session.add(_new_task(instance, version, ready, applicant_name))
