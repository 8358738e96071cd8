"""What a process's steps say, read from its parsed spec: its user tasks with their lane and properties, its start
and end events' properties, and the lint of what would break at run time (unknown lane, missing form or scope)."""

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask

from app.engine.spec_files import SpecProblem, line_of
from app.roles import ROLE_LANES  # lane names are role keys; "system" holds the automatic steps


@dataclass(frozen=True)
class UserTaskInfo:
    bpmn_id: str
    name: str
    lane: str
    properties: dict[str, str]


def user_tasks(spec: Any, subprocess_specs: dict[str, Any] | None = None) -> dict[str, UserTaskInfo]:
    """The user tasks of the process and of every process it calls or embeds (their tasks run in its instances)."""
    return {
        ts.bpmn_id: UserTaskInfo(
            ts.bpmn_id, ts.bpmn_name or ts.bpmn_id, ts.lane or "", dict(ts.extensions.get("properties", {}))
        )
        for s in [spec, *(subprocess_specs or {}).values()]
        if s is not None
        for ts in s.task_specs.values()
        if isinstance(ts, UserTask)
    }


def event_properties(spec: Any, kind: str) -> dict[str, dict[str, str]]:
    return {
        ts.bpmn_id: getattr(ts, "extensions", {}).get("properties", {})
        for ts in spec.task_specs.values()
        if type(ts).__name__ == kind and ts.bpmn_id
    }


def lint_process(
    path: Path, tree: Any, spec: Any, forms: Collection[str], decisions: Collection[str]
) -> tuple[list[SpecProblem], dict[str, UserTaskInfo]]:
    """What would break at run time, reported now with its line: unknown lanes, missing forms or scopes."""
    problems, tasks = [], user_tasks(spec)
    for t in tasks.values():
        line, props = line_of(tree, t.bpmn_id), t.properties
        if t.lane not in ROLE_LANES:
            problems.append(
                SpecProblem(path.name, line, f"用户任务 {t.bpmn_id} 所在泳道 {t.lane!r} 不是已知角色", t.bpmn_id)
            )
        if props.get("formKey") not in forms:
            problems.append(
                SpecProblem(path.name, line, f"用户任务 {t.bpmn_id} 的表单 {props.get('formKey')!r} 不存在", t.bpmn_id)
            )
        if t.lane == "applicant" and "assignee" not in props:
            problems.append(SpecProblem(path.name, line, f"申请人任务 {t.bpmn_id} 缺少 assignee 属性", t.bpmn_id))
        if t.lane not in ("applicant", "") and "orgScope" not in props:
            problems.append(SpecProblem(path.name, line, f"审核任务 {t.bpmn_id} 缺少 orgScope 属性", t.bpmn_id))
    for event_id, props in event_properties(spec, "StartEvent").items():
        for prop in ("eligibilityDecision", "warningDecision"):
            if prop in props and props[prop] not in decisions:
                message = f"开始事件 {event_id} 的 {prop} {props[prop]!r} 不是已知的决策表"
                problems.append(SpecProblem(path.name, line_of(tree, event_id), message, event_id))
    return problems, tasks
