"""What moving a running instance to another version of its process would change (SpiffWorkflow's diff_workflow).

Only the facts, by BPMN id: which steps of the live task tree the new version lacks, which of the steps the
instance waits at now are different there, which called processes it lacks. Whether that allows a move, and
the reason in words, is app/migration's.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from app.engine.runtime import Snapshot, _load, _snapshot
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


# SpecDiff of two (sub)process specs, computed once for every instance moved between them: its alignment maps the
# old spec's task spec objects, which every instance loaded on that version object shares (keyed by the objects:
# a version rebuilt from its row is other objects)
_SPEC_DIFFS: dict[tuple[int, int], tuple[Any, Any, SpecDiff]] = {}


def _spec_diff(before: Any, after: Any) -> SpecDiff:
    cached = _SPEC_DIFFS.get((id(before), id(after)))
    if cached is None or cached[0] is not before or cached[1] is not after:
        if len(_SPEC_DIFFS) > 64:
            _SPEC_DIFFS.clear()
        cached = _SPEC_DIFFS[(id(before), id(after))] = (before, after, SpecDiff(SPEC_REGISTRY, before, after))
    return cached[2]


def _diff(wf: Any, old: ProcessVersion, new: ProcessVersion) -> tuple[WorkflowDiff, dict[Any, WorkflowDiff | None]]:
    """diff_workflow's result, with the spec diffs shared between instances."""
    top = WorkflowDiff(wf, _spec_diff(wf.spec, new.spec))
    subs: dict[Any, WorkflowDiff | None] = {}
    for sp_id, sp in wf.subprocesses.items():
        after = new.subprocess_specs.get(sp.spec.name)
        subs[sp_id] = None if after is None else WorkflowDiff(sp, _spec_diff(sp.spec, after))
    return top, subs


def _check(wf: Any, top: WorkflowDiff, subs: dict[Any, WorkflowDiff | None]) -> MigrationCheck:
    check = MigrationCheck()
    _collect(top, check)
    for sp_id, sp_diff in subs.items():
        if sp_diff is None:
            check.missing_processes.append(wf.subprocesses[sp_id].spec.name)
        _collect(sp_diff, check)
    return check


def check_migration(old: ProcessVersion, new: ProcessVersion, state: str, serializer_version: str) -> MigrationCheck:
    """Compare a stored instance with `new`, running nothing."""
    wf = _load(old, state, serializer_version)
    return _check(wf, *_diff(wf, old, new))


def migrate_if(
    old: ProcessVersion,
    new: ProcessVersion,
    state: str,
    serializer_version: str,
    accept: Callable[[MigrationCheck], bool],
) -> tuple[MigrationCheck, Snapshot | None]:
    """Compare, and if `accept` says so move the instance onto `new` (steps matched by BPMN id; nothing is run):
    one load and one diff for both. Only READY tasks are re-predicted: a waiting timer keeps its due time."""
    wf = _load(old, state, serializer_version)
    top, subs = _diff(wf, old, new)
    check = _check(wf, top, subs)
    if not accept(check):
        return check, None
    migrate_workflow(top, wf, new.spec, reset_mask=TaskState.READY)
    for sp_id, sp_diff in subs.items():
        sub = wf.subprocesses[sp_id]
        migrate_workflow(sp_diff, sub, new.subprocess_specs[sub.spec.name], reset_mask=TaskState.READY)
    wf.subprocess_specs = new.subprocess_specs
    return check, _snapshot(wf)


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
