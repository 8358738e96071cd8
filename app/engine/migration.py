"""What moving a running instance to another version of its process would change (SpiffWorkflow's diff_workflow).

Only the facts, by BPMN id: which steps of the live task tree the new version lacks, which of the steps the
instance waits at now are different there, which called processes it lacks. Whether that allows a move, and
the reason in words, is app/migration's.
"""

from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.util.diff import SpecDiff, diff_workflow
from SpiffWorkflow.util.task import TaskState

from app.engine.runtime import _load
from app.engine.specs import ProcessVersion
from app.engine.store import SPEC_REGISTRY

# where a step leads (its flows) may change: that is what a new version is for; the step itself may not
_WIRING = {"inputs", "outputs"}
_LIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED


@dataclass(frozen=True)
class Step:
    bpmn_id: str
    name: str
    live: bool  # the instance waits at it now (READY, WAITING, or a called process running)
    changes: tuple[str, ...] = ()  # the spec attributes that differ in the new version (empty: removed)


@dataclass
class MigrationCheck:
    removed: list[Step] = field(default_factory=list)
    changed: list[Step] = field(default_factory=list)
    missing_processes: list[str] = field(default_factory=list)

    @property
    def live_ids(self) -> list[str]:
        return [s.bpmn_id for s in self.removed + self.changed if s.live]


def _collect(diff: Any, check: MigrationCheck) -> None:
    if diff is None:
        return
    seen: set[str] = set()
    for task in diff.removed:
        spec = task.task_spec
        if spec.bpmn_id is not None and spec.bpmn_id not in seen:
            seen.add(spec.bpmn_id)
            check.removed.append(Step(spec.bpmn_id, spec.bpmn_name or spec.bpmn_id, task.has_state(_LIVE)))
    for task in diff.changed:
        spec = task.task_spec
        if spec.bpmn_id is None or spec.bpmn_id in seen or not task.has_state(_LIVE):
            continue
        new = diff.alignment.get(task)
        changes = tuple(k for k in sorted(_compare(spec, new)) if k not in _WIRING)
        if changes:
            seen.add(spec.bpmn_id)
            check.changed.append(Step(spec.bpmn_id, spec.bpmn_name or spec.bpmn_id, True, changes))


def _compare(old: Any, new: Any) -> list[str]:
    s1, s2 = SPEC_REGISTRY.convert(old), SPEC_REGISTRY.convert(new)
    if s1.get("typename") != s2.get("typename"):
        return ["typename"]
    return [k for k, v in s1.items() if s2.get(k) != v]


def check_migration(old: ProcessVersion, new: ProcessVersion, state: str, serializer_version: str) -> MigrationCheck:
    """Compare a stored instance with `new`, running nothing."""
    wf = _load(old, state, serializer_version)
    top, subs = diff_workflow(SPEC_REGISTRY, wf, new.spec, new.subprocess_specs)
    check = MigrationCheck()
    _collect(top, check)
    for sp_id, sp_diff in subs.items():
        if sp_diff is None:
            check.missing_processes.append(wf.subprocesses[sp_id].spec.name)
        _collect(sp_diff, check)
    return check


@dataclass
class SpecChanges:
    """Diagram elements (BPMN ids) of the new version that are new, of the old one that are gone, and those in both
    whose settings differ (the attribute names), over the process and every process it calls."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)


def diff_specs(old: ProcessVersion, new: ProcessVersion) -> SpecChanges:
    """SpiffWorkflow's SpecDiff, read by BPMN id: an element it aligns by position under another id counts as
    removed and added (on the diagram it is another element)."""
    result = SpecChanges()
    pairs = [(old.spec, new.spec)] + [
        (spec, new.subprocess_specs.get(name)) for name, spec in old.subprocess_specs.items()
    ]
    pairs += [(None, spec) for name, spec in new.subprocess_specs.items() if name not in old.subprocess_specs]
    for before, after in pairs:
        old_ids = _ids(before)
        new_ids = _ids(after)
        result.added += sorted(new_ids.keys() - old_ids.keys())
        result.removed += sorted(old_ids.keys() - new_ids.keys())
        if before is None or after is None:
            continue
        diff = SpecDiff(SPEC_REGISTRY, before, after)
        for spec, changes in diff.changed.items():
            aligned = diff.alignment.get(spec)
            kept = [c for c in changes if c not in _WIRING]
            if aligned is not None and spec.bpmn_id is not None and aligned.bpmn_id == spec.bpmn_id and kept:
                result.changed[spec.bpmn_id] = kept
    return result


def _ids(spec: Any) -> dict[str, Any]:
    return {} if spec is None else {ts.bpmn_id: ts for ts in spec.task_specs.values() if ts.bpmn_id is not None}
