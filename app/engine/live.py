"""Live workflows kept in a worker's memory, so a completion skips deserializing the state it stored (issue 13).

An entry is the workflow object one engine run left behind, stamped with what the stored row said when it was
kept: the row version, spec key, serializer version and the state text itself. `take` hands it out only if the
row read now (under the instance lock) carries the very same stamp, and removes it either way: a workflow is
run by one operation at a time and mutated by it, so it goes back only through `keep` after the transaction that
stored its new state committed (app/workflow/live.py). Whatever happened meanwhile in another worker, a rolled
back transaction or a migration changes the row version or the text, and the entry is dropped, never used.

A workflow is kept only if its data reads back from the stored JSON as the same values (str keys, lists, the
serializer's registered types): a tuple or an integer dict key would come back as a list or a string, and a
cached run must behave exactly as one on the stored state. The cache is bounded in entries and in an estimate of
memory (a live workflow takes about `MEMORY_PER_STATE_BYTE` times its stored text).
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow

from app.engine.store import SPEC_REGISTRY

MEMORY_PER_STATE_BYTE = 8  # 2.6-4.6 measured with tracemalloc on the joining process (tests/engine/test_live.py)
_PLAIN = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class Stamp:
    row_version: int
    spec_key: str
    serializer_version: str
    state: str


@dataclass
class _Entry:
    stamp: Stamp
    workflow: BpmnWorkflow
    cost: int


class LiveWorkflows:
    """A bounded LRU of live workflows by instance id; thread-safe."""

    def __init__(self, max_entries: int = 256, max_bytes: int = 64 * 1024 * 1024):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = self.stale = 0

    def take(self, instance_id: int, stamp: Stamp) -> BpmnWorkflow | None:
        """The workflow kept for exactly this stored row, removed from the cache; None if there is none."""
        with self._lock:
            entry = self._entries.pop(instance_id, None)
            if entry is not None:
                self._bytes -= entry.cost
            if entry is not None and entry.stamp == stamp:
                self.hits += 1
                return entry.workflow
            self.misses += 1
            self.stale += entry is not None
            return None

    def keep(self, instance_id: int, stamp: Stamp, workflow: BpmnWorkflow) -> bool:
        """Keep `workflow` as what `stamp`'s row deserializes to; False if it is not kept (too big, or data that
        would not read back the same)."""
        cost = len(stamp.state) * MEMORY_PER_STATE_BYTE
        if self.max_entries <= 0 or cost > self.max_bytes or not reads_back_same(workflow):
            self.drop(instance_id)
            return False
        with self._lock:
            old = self._entries.pop(instance_id, None)
            if old is not None:
                self._bytes -= old.cost
            self._entries[instance_id] = _Entry(stamp, workflow, cost)
            self._bytes += cost
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.cost
        return True

    def drop(self, instance_id: int) -> None:
        with self._lock:
            entry = self._entries.pop(instance_id, None)
            if entry is not None:
                self._bytes -= entry.cost

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def stamp_of(self, instance_id: int) -> Stamp | None:
        with self._lock:
            entry = self._entries.get(instance_id)
            return entry.stamp if entry is not None else None

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def estimated_bytes(self) -> int:
        return self._bytes


def reads_back_same(wf: BpmnWorkflow) -> bool:
    """Every value the serializer stores for this workflow comes back from JSON as an equal value of the same type."""
    for workflow in (wf, *wf.subprocesses.values()):
        if not _stable(workflow.data):
            return False
        for task in workflow.tasks.values():
            if not (_stable(task.data) and _stable(task.internal_data)):
                return False
    return True


def _stable(value: Any) -> bool:
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind is dict:
        return "typename" not in value and all(type(k) is str and _stable(v) for k, v in value.items())
    if kind is list:
        return all(_stable(v) for v in value)
    return kind in SPEC_REGISTRY.typenames and kind.__module__ in ("datetime", "uuid")
