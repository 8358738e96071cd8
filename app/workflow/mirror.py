"""Writes an engine snapshot into the relational mirror: instance columns and human_task rows."""

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import clock
from app.engine.runtime import ReadyTask, Snapshot
from app.engine.specs import ProcessVersion, catalog
from app.errors import Conflict
from app.extensions import db
from app.workflow.due import due_days
from app.workflow.incidents import step_failed
from app.workflow.mirror_writes import end_tasks, insert_tasks, write_instance, written_as_loaded
from app.workflow.models import HumanTask, ProcessInstance
from app.workflow.steps import flush_or_conflict, open_tasks_at_lock, remember_open_tasks


def _lookup(data: dict[str, Any], path: str | None) -> Any:
    """Resolve a dotted instance-data path named in the BPMN (orgScope="firm.local_association_id")."""
    value: Any = data
    for part in (path or "").split("."):
        if not part or not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _new_task(
    instance: ProcessInstance, version: ProcessVersion, ready: ReadyTask, applicant_name: str, now: datetime
) -> dict[str, Any]:
    """The row of a task the run made ready (every column: it is inserted and then known without a read)."""
    props = ready.properties
    form = version.forms[props["formKey"]]
    days = due_days(instance.process_id, props.get("dueDays"))
    # the 上一步 marker (navField, R-FIL-7) is an action, not an answer: a page never starts out "going back"
    prefill = {k: v for k, v in ready.data.items() if k in form.properties and k != form.ui.get("navField")}
    if form.ui.get("startsBlank"):  # a review: the decision and comment of an earlier step or round are not its own
        prefill = {}
    organization_id, user_id = _lookup(ready.data, props.get("orgScope")), _lookup(ready.data, props.get("assignee"))
    if organization_id is None and user_id is None:  # nobody's inbox would show it: fail loudly, never stall
        where = f"orgScope「{props['orgScope']}」" if "orgScope" in props else f"assignee「{props.get('assignee')}」"
        raise step_failed(f"任务「{ready.name}」的 {where} 在流程数据中为空，没有人能处理它", ready.bpmn_id)
    return {
        "instance_id": instance.id,
        "process_id": instance.process_id,
        "task_uuid": ready.task_id,
        "bpmn_id": ready.bpmn_id,
        "name": ready.name,
        "role": ready.lane,
        "organization_id": organization_id,
        "user_id": user_id,
        "form_key": props["formKey"],
        "status": "open",
        "created_at": now,
        "due_at": ready.due_at or (now + timedelta(days=days) if days else None),
        "due_note": ready.due_note,
        "assignee_id": None,
        "claimed_at": None,
        "completed_by_id": None,
        "completed_at": None,
        "prefill": prefill or None,
        "title": instance.title,
        "applicant_name": applicant_name,
    }


def _named_subject(instance: ProcessInstance, version: ProcessVersion, snap: Snapshot) -> int | None:
    """Start property subject="departed.user_id": the person the application is about, once the data names them
    (None: no subject, or the one recorded already)."""
    path = version.start_properties.get("subject")
    if not path or instance.exclusive_key is None:
        return None
    for data in [snap.data, *(r.data for r in snap.ready)]:
        person = _lookup(data, path)
        if person is not None and instance.subject_id != int(person):
            return int(person)
    return None


def flush_claim(subject_id: int | None, exclusive_key: str | None) -> None:
    """Flush; of two running applications with one subject and key, the database refuses the second."""
    try:
        flush_or_conflict()
    except IntegrityError as err:
        db.session.rollback()
        running = db.session.scalar(
            select(ProcessInstance.process_id).where(
                ProcessInstance.subject_id == subject_id,
                ProcessInstance.exclusive_key == exclusive_key,
                ProcessInstance.status == "running",
            )
        )
        name = catalog().process(running).name if running in catalog().current else "同类"
        raise Conflict(
            gettext("已有一项「%(name)s」申请正在办理中，请勿重复提交；办结后方可再次申请", name=gettext(name))
        ) from err


def _instance_values(
    instance: ProcessInstance, version: ProcessVersion, snap: Snapshot, now: datetime
) -> dict[str, Any]:
    # the stored state keeps no finished history (app/engine/history.py): the steps done and flows taken so far
    # are those recorded before plus this run's
    before = instance.progress or {}
    values: dict[str, Any] = {
        "state": snap.state,
        "serializer_version": snap.serializer_version,
        "progress": {
            "done": list(dict.fromkeys([*before.get("done", []), *snap.done_ids])),
            "current": snap.current_ids,
            "taken": [list(p) for p in sorted({*map(tuple, before.get("taken", [])), *map(tuple, snap.taken)})],
        },
        "waiting_messages": snap.waiting_messages,
        "next_timer_at": snap.next_timer_at,
        "current_step": "、".join(t.name for t in snap.ready) or None,
        "updated_at": now,
    }
    if snap.completed:
        outcome = version.end_properties.get(snap.end_id or "", {}).get("outcome", "completed")
        values.update(status=outcome, outcome=snap.outcome_text, completed_at=now, current_step=None)
    return values


def _write_instance(instance: ProcessInstance, version: ProcessVersion, snap: Snapshot, now: datetime) -> None:
    values = _instance_values(instance, version, snap, now)
    subject_id = _named_subject(instance, version, snap)
    if snap.completed or subject_id is not None or not written_as_loaded(instance):
        # through the unit of work: the flush's listeners see a final status (app/notify/hooks.py), the claim's
        # unique index answers for a new subject, and changes the caller made go in the same UPDATE
        for name, value in values.items():
            setattr(instance, name, value)
        if subject_id is not None:
            instance.subject_id = subject_id
            flush_claim(subject_id, instance.exclusive_key)
        return
    write_instance(instance, values)


def apply_snapshot(
    instance: ProcessInstance,
    version: ProcessVersion,
    snap: Snapshot,
    applicant_name: str,
    closed_as: str = "cancelled",
    completed: tuple[HumanTask, int] | None = None,
) -> None:
    """Mirror `snap`; an open task the run took away ends as `closed_as` (withdrawn, timed_out, cancelled), the
    one the actor just completed (`completed`: the task and who) as completed.

    Rows are written here (app/workflow/mirror_writes.py), a stale instance row raising the Conflict at once;
    an instance whose status changes waits for the caller's flush.
    """
    now = clock.now()
    _write_instance(instance, version, snap, now)
    # the rows lock_instance read with the lock, else read now (no autoflush: the stale-row check of an instance
    # written by the unit of work must surface in the service's own flush, as a Conflict)
    rows = open_tasks_at_lock(instance, take=True)
    if rows is None:
        with db.session.no_autoflush:
            rows = list(
                db.session.scalars(
                    select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.status == "open")
                )
            )
    open_tasks = {t.task_uuid: t for t in rows}
    ready_ids = {r.task_id for r in snap.ready}
    ended = []
    if completed is not None:
        ended.append((completed[0], {"status": "completed", "completed_by_id": completed[1], "completed_at": now}))
    ending = {id(task) for task, _values in ended}
    for uuid, task in open_tasks.items():
        if uuid not in ready_ids and task.status == "open" and id(task) not in ending:
            ended.append((task, {"status": closed_as, "completed_by_id": None, "completed_at": None}))
    end_tasks(ended)
    still_open = sorted((t for t in rows if t.status == "open"), key=lambda t: t.id)
    with db.session.no_autoflush:  # the due days' read must not flush: the service's flush checks the version
        new_rows = [
            _new_task(instance, version, ready, applicant_name, now)
            for ready in snap.ready
            if ready.task_id not in open_tasks
        ]
    still_open.extend(insert_tasks(new_rows))
    remember_open_tasks(instance, still_open)
