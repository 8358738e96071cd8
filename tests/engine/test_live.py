"""The live-workflow cache itself (issue 13): exact stamps, values that read back the same, bounded size."""

import gc
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta

from app.engine import runtime, store
from app.engine.live import MEMORY_PER_STATE_BYTE, LiveWorkflows, Stamp, reads_back_same
from app.engine.specs import catalog


def _workflow():
    version = catalog().process("join_practicing")
    snap = runtime.start(version, {"applicant_user_id": 1, "applicant_name": "张三", "has_qualification": True})
    return version, snap


def test_a_workflow_is_handed_out_once_and_only_for_its_exact_stamp():
    _version, snap = _workflow()
    cache = LiveWorkflows()
    stamp = Stamp(2, "join_practicing:abc", store.SERIALIZER_VERSION, snap.state)
    assert cache.keep(7, stamp, snap.workflow)
    assert cache.take(7, Stamp(3, stamp.spec_key, stamp.serializer_version, stamp.state)) is None  # newer row
    assert (cache.take(7, stamp), cache.stale) == (None, 1)  # the mismatch dropped it: never handed out later
    for other in (
        Stamp(2, "join_practicing:def", stamp.serializer_version, stamp.state),  # migrated to another version
        Stamp(2, stamp.spec_key, stamp.serializer_version, stamp.state + " "),  # another text, same row version
    ):
        cache.keep(7, stamp, snap.workflow)
        assert cache.take(7, other) is None
    cache.keep(7, stamp, snap.workflow)
    assert cache.take(7, stamp) is snap.workflow and cache.take(7, stamp) is None  # taken: gone


def test_values_that_would_not_read_back_the_same_are_not_kept():
    _version, snap = _workflow()
    wf = snap.workflow
    task = next(t for t in wf.get_tasks() if t.task_spec.bpmn_id == "Task_Notice")
    ok = {"when": datetime(2026, 1, 1, tzinfo=UTC), "gap": timedelta(days=1), "id": uuid.uuid4(), "xs": [1, "a"]}
    task.data.update(ok)
    assert reads_back_same(wf)
    for bad in ({"pair": (1, 2)}, {"counts": {3: 1}}, {"nested": [{"typename": "Task"}]}, {"s": {1, 2}}):
        task.data.update(bad)
        assert not reads_back_same(wf), bad
        cache = LiveWorkflows()
        assert not cache.keep(1, Stamp(1, "k", "v", snap.state), wf) and len(cache) == 0
        for key in bad:
            del task.data[key]


def test_the_cache_is_bounded_in_entries_and_in_estimated_memory():
    _version, snap = _workflow()
    cache = LiveWorkflows(max_entries=3)
    for i in range(5):
        cache.keep(i, Stamp(1, "k", "v", snap.state), snap.workflow)
    assert len(cache) == 3 and cache.stamp_of(0) is None and cache.stamp_of(4) is not None  # least recent out
    per_entry = len(snap.state) * MEMORY_PER_STATE_BYTE
    small = LiveWorkflows(max_entries=100, max_bytes=2 * per_entry)
    for i in range(5):
        small.keep(i, Stamp(1, "k", "v", snap.state), snap.workflow)
    assert len(small) == 2 and small.estimated_bytes == 2 * per_entry
    assert not LiveWorkflows(max_entries=0).keep(1, Stamp(1, "k", "v", snap.state), snap.workflow)


def test_the_memory_estimate_covers_what_a_live_workflow_takes():
    version, snap = _workflow()
    gc.collect()
    tracemalloc.start()
    try:
        kept = [store.load_instance(snap.state, version.spec, version.subprocess_specs, snap.serializer_version)]
        taken, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept and taken <= MEMORY_PER_STATE_BYTE * len(snap.state), (taken, len(snap.state))
