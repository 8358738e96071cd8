"""Keeps finished history out of an instance's live task tree, so a step costs the same at the 100th pass as at the 1st.

SpiffWorkflow keeps every task an instance ever ran in one tree: a process that sends the application back to the
applicant 100 times loads, walks and stores all 100 passes on every step (389 KB of state at pass 100). Nothing
the engine still has to do needs them: what is left to run hangs below the deepest finished task that every
unfinished task descends from. That task becomes the root and everything outside its subtree is dropped. Task
data is whole on every task (the serializer stores each task's data as a delta against its parent, and the
root's in full), so the new root carries all the data the next steps read. What the history told is kept
elsewhere: the steps done and the flows taken in the instance's progress column (the mirror adds each
snapshot's to it), who did what with which form data in the audit trail.
"""

from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState


def prune_history(wf: BpmnWorkflow) -> int:
    """Drop the finished tasks no unfinished task descends from; returns how many were dropped (0: none, or
    the workflow is finished and keeps its tree)."""
    live = [t for t in wf.tasks.values() if not t.has_state(TaskState.COMPLETED | TaskState.CANCELLED)]
    if not live:
        return 0
    root = _finished_ancestor(_common_ancestor(live))
    if root is None or root is wf.task_tree:
        return 0
    keep = {t.id for t in root}  # a task iterates over its subtree, itself included
    dropped = [task_id for task_id in wf.tasks if task_id not in keep]
    for task_id in dropped:
        del wf.tasks[task_id]
    root.parent = None
    wf.task_tree = root
    if wf.last_task is not None and wf.last_task.id not in keep:
        wf.last_task = None  # the engine then looks for work from the root
    _drop_orphaned_subprocesses(wf)
    return len(dropped)


def _ancestry(task: Any) -> list[Any]:
    chain = []
    while task is not None:
        chain.append(task)
        task = task.parent
    return chain[::-1]


def _common_ancestor(tasks: list[Any]) -> Any:
    """The deepest task that is an ancestor-or-self of every task given."""
    common = _ancestry(tasks[0])
    for task in tasks[1:]:
        chain = _ancestry(task)
        n = 0
        while n < min(len(common), len(chain)) and common[n] is chain[n]:
            n += 1
        common = common[:n]
    return common[-1] if common else None


def _finished_ancestor(task: Any) -> Any:
    """The nearest completed ancestor-or-self: a ready task keeps its parent (a reset re-reads the parent's data)."""
    while task is not None and task.state != TaskState.COMPLETED:
        task = task.parent
    return task


def _drop_orphaned_subprocesses(wf: BpmnWorkflow) -> None:
    """A subprocess belongs to a task of the top workflow or of another subprocess; drop those whose task went."""
    while True:
        owners = set(wf.tasks)
        for sub in wf.subprocesses.values():
            owners.update(sub.tasks)
        orphans = [key for key in wf.subprocesses if key not in owners]
        if not orphans:
            return
        for key in orphans:
            del wf.subprocesses[key]
