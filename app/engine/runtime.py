"""Runs instances: start, complete a user task, deliver a message, fire timers; returns plain snapshots."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

import SpiffWorkflow.bpmn.specs.event_definitions.timer as _spiff_timer
from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.exceptions import SpiffWorkflowException, TaskNotFoundException
from SpiffWorkflow.util.task import TaskState

from app import clock
from app.engine.guard import script_budget
from app.engine.history import prune_history
from app.engine.rule_tasks import observe_business_rule
from app.engine.scripting import SCRIPT_ENGINE
from app.engine.specs import ProcessVersion
from app.engine.store import SERIALIZER_VERSION, SPEC_REGISTRY, dump_instance, load_instance


class _ClockDatetime(datetime):
    """Spiff's timers ask `datetime.now(timezone.utc)`; answering from app.clock lets tests move time."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> "_ClockDatetime":
        current = clock.now()
        current = current.astimezone(tz) if tz else current.astimezone().replace(tzinfo=None)
        return cls.fromtimestamp(current.timestamp(), tz)


_spiff_timer.datetime = _ClockDatetime  # type: ignore[misc]

_TIMER_TYPES = ("DurationTimerEventDefinition", "TimeDateEventDefinition", "CycleTimerEventDefinition")


class TaskNotReady(Exception):
    """The task is not a READY user task of this instance (already done, cancelled, or never existed)."""


class MessageNotWaiting(Exception):
    """The instance does not wait for this message at its current step."""


class NotMigratable(Exception):
    """The new version lacks a step this instance has done or waits at: it must finish on its own version."""


class EngineError(Exception):
    """A script, gateway, DMN or service step failed; carries the BPMN element and line for the analyst."""

    def __init__(self, message: str, bpmn_id: str | None = None, line: int | None = None):
        super().__init__(message)
        self.bpmn_id, self.line = bpmn_id, line


@dataclass(frozen=True)
class ReadyTask:
    task_id: str
    bpmn_id: str
    name: str
    lane: str
    properties: dict[str, str]
    data: dict[str, Any]
    # from a timer boundary event on the task: when it fires, and its name (what happens then)
    due_at: datetime | None = None
    due_note: str | None = None


@dataclass
class Snapshot:
    state: str
    serializer_version: str
    completed: bool
    ready: list[ReadyTask]
    done_ids: list[str]
    current_ids: list[str]
    taken: list[list[str]]
    waiting_messages: list[str]
    next_timer_at: datetime | None
    end_id: str | None
    outcome_text: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    # the live workflow the run left, which `state` stores (app/engine/live.py may keep it for the next run)
    workflow: BpmnWorkflow | None = field(default=None, repr=False, compare=False)


def _run(wf: BpmnWorkflow, action: Any) -> None:
    try:
        with script_budget():  # one deadline for every script, condition and DMN cell of this run
            action()
            wf.do_engine_steps(will_complete_task=observe_business_rule)  # the decision log (issue 18)
    except SpiffWorkflowException as err:
        task = getattr(err, "task", None)
        bpmn_id = task.task_spec.bpmn_id if task is not None else None
        raise EngineError(str(err), bpmn_id, getattr(err, "line_number", None)) from err


def _bpmn_parent(task: Any) -> str | None:
    """The nearest ancestor that is a diagram element (skipping Spiff's internal split/join tasks)."""
    parent = task.parent
    while parent is not None and parent.task_spec.bpmn_id is None:
        parent = parent.parent
    return parent.task_spec.bpmn_id if parent is not None else None


def _boundary_timer(task: Any) -> tuple[datetime | None, str | None]:
    """The earliest waiting timer attached to this task (its siblings under Spiff's boundary split)."""
    timers = []
    for sibling in task.parent.children if task.parent else []:
        spec = sibling.task_spec
        value = sibling.internal_data.get("event_value")
        if sibling.state == TaskState.WAITING and type(spec).__name__ == "BoundaryEvent" and isinstance(value, str):
            if "Timer" in type(spec.event_definition).__name__:
                timers.append((TimerEventDefinition.get_datetime(value), spec.bpmn_name))
    return min(timers, key=lambda t: t[0]) if timers else (None, None)


def _snapshot(wf: BpmnWorkflow) -> Snapshot:
    ready, done, current, messages, end_id = [], [], [], [], None
    taken: set[tuple[str, str]] = set()
    for t in wf.get_tasks():
        spec = t.task_spec
        if spec.bpmn_id is None:
            continue
        if t.state in (TaskState.COMPLETED, TaskState.READY) or (
            t.state == TaskState.WAITING and type(spec).__name__ != "BoundaryEvent"
        ):
            source = _bpmn_parent(t)
            if source is not None:
                taken.add((source, spec.bpmn_id))
        if t.state == TaskState.COMPLETED:
            done.append(spec.bpmn_id)
            if type(spec).__name__ == "EndEvent" and t.workflow is wf:  # a called process's end is not the outcome
                end_id = spec.bpmn_id
        elif t.state == TaskState.READY and isinstance(spec, UserTask):
            current.append(spec.bpmn_id)
            due_at, due_note = _boundary_timer(t)
            ready.append(
                ReadyTask(
                    str(t.id),
                    spec.bpmn_id,
                    spec.bpmn_name or spec.bpmn_id,
                    spec.lane or "",
                    dict(spec.extensions.get("properties", {})),
                    dict(t.data),
                    due_at,
                    due_note,
                )
            )
        elif t.state == TaskState.WAITING and isinstance(spec, CatchingEvent):
            definition = spec.event_definition
            if type(definition).__name__ == "MessageEventDefinition":
                messages.append(definition.name)
            if type(spec).__name__ != "BoundaryEvent":
                current.append(spec.bpmn_id)
    dues = [
        TimerEventDefinition.get_datetime(e.value)
        for e in wf.waiting_events()
        if e.event_type in _TIMER_TYPES and isinstance(e.value, str)
    ]
    completed = wf.is_completed()
    outcome_text = None
    if completed and end_id is not None:
        # the end event may say, in the analyst's words, what the applicant got (e.g. the member number)
        expression = wf.spec.task_specs[end_id].extensions.get("properties", {}).get("outcomeText")
        if expression:
            try:
                outcome_text = str(SCRIPT_ENGINE.environment.evaluate(expression, dict(wf.data)))
            except Exception as err:
                raise EngineError(f"outcomeText: {err}", end_id) from err
    prune_history(wf)  # after the walk: done_ids and taken above still saw this run's finished tasks
    return Snapshot(
        state=dump_instance(wf),
        serializer_version=SERIALIZER_VERSION,
        completed=completed,
        ready=ready,
        done_ids=list(dict.fromkeys(done)),
        current_ids=current,
        taken=[list(pair) for pair in sorted(taken)],
        waiting_messages=sorted(set(messages)),
        next_timer_at=min(dues) if dues else None,
        end_id=end_id,
        outcome_text=outcome_text,
        data=dict(wf.data) if completed else {},
        workflow=wf,
    )


def _load(
    version: ProcessVersion, state: str, serializer_version: str, live: BpmnWorkflow | None = None
) -> BpmnWorkflow:
    """The stored state's workflow; `live` if the caller kept it from the run that stored `state` (engine/live.py)."""
    if live is not None:
        return live
    return load_instance(state, version.spec, version.subprocess_specs, serializer_version)


def start(version: ProcessVersion, data: dict[str, Any]) -> Snapshot:
    wf = BpmnWorkflow(version.spec, version.subprocess_specs, script_engine=SCRIPT_ENGINE)
    wf.get_next_task(spec_name="Start").data.update(data)
    _run(wf, lambda: None)
    return _snapshot(wf)


def complete_task(
    version: ProcessVersion,
    state: str,
    serializer_version: str,
    task_id: str,
    lane: str,
    data: dict[str, Any],
    live: BpmnWorkflow | None = None,
) -> Snapshot:
    """Complete a READY user task of `lane`; anything else is TaskNotReady (task.run() does not check)."""
    wf = _load(version, state, serializer_version, live)
    try:
        task = wf.get_task_from_id(uuid.UUID(task_id))
    except (TaskNotFoundException, ValueError) as err:
        raise TaskNotReady(task_id) from err
    if task.state != TaskState.READY or not isinstance(task.task_spec, UserTask) or task.task_spec.lane != lane:
        raise TaskNotReady(task_id)

    def run() -> None:
        task.data.update(data)
        task.run()

    _run(wf, run)
    return _snapshot(wf)


def send_message(
    version: ProcessVersion, state: str, serializer_version: str, name: str, live: BpmnWorkflow | None = None
) -> Snapshot:
    wf = _load(version, state, serializer_version, live)
    for t in wf.get_tasks(state=TaskState.WAITING):
        definition = getattr(t.task_spec, "event_definition", None)
        if definition is not None and getattr(definition, "name", None) == name:
            _run(wf, lambda d=definition: wf.send_event(BpmnEvent(d, {})))
            return _snapshot(wf)
    raise MessageNotWaiting(name)


def fire_timers(
    version: ProcessVersion, state: str, serializer_version: str, live: BpmnWorkflow | None = None
) -> Snapshot:
    wf = _load(version, state, serializer_version, live)
    _run(wf, wf.refresh_timers)
    return _snapshot(wf)


def migrate(old: ProcessVersion, new: ProcessVersion, state: str, serializer_version: str) -> Snapshot:
    """Move a waiting instance onto a newer version of its process (steps matched by BPMN id); runs nothing."""
    wf = _load(old, state, serializer_version)
    top, subs = diff_workflow(SPEC_REGISTRY, wf, new.spec, new.subprocess_specs)
    missing = [t.task_spec.bpmn_id for t in top.removed] + [sp for sp, d in subs.items() if d is None or d.removed]
    if missing:
        raise NotMigratable(", ".join(str(m) for m in missing))
    # only READY tasks are re-predicted: a WAITING timer keeps its due time (Spiff's default would re-arm it)
    migrate_workflow(top, wf, new.spec, reset_mask=TaskState.READY)
    for sp_id, sp_diff in subs.items():
        sub = wf.subprocesses[sp_id]
        migrate_workflow(sp_diff, sub, new.subprocess_specs[sub.spec.name], reset_mask=TaskState.READY)
    wf.subprocess_specs = new.subprocess_specs
    return _snapshot(wf)


def inspect(version: ProcessVersion, state: str, serializer_version: str) -> Snapshot:
    """The snapshot of a stored state, running nothing: what `flask memberflow check` compares the mirror with."""
    return _snapshot(_load(version, state, serializer_version))


def latest_data(version: ProcessVersion, state: str, serializer_version: str) -> dict[str, Any]:
    """A stored instance's variables as its most recently finished step left them, running nothing (a running
    instance keeps its variables on its tasks; a finished one on the workflow)."""
    wf = _load(version, state, serializer_version)
    if wf.is_completed():
        return dict(wf.data)
    completed = list(wf.get_tasks(state=TaskState.COMPLETED))
    # a BPMN element's task if any is left; with finished history pruned (engine/history.py) the root may be the
    # engine's own task (a boundary event's parent), whose data is as whole as any task's
    finished = [t for t in completed if t.task_spec.bpmn_id is not None] or completed
    latest = max(finished, key=lambda t: t.last_state_change, default=None)
    return dict(latest.data) if latest is not None else {}
