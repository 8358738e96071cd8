"""Engine runs on a locked instance that reuse the worker's live workflow (issue 13, app/engine/live.py).

`run_on_instance` takes the workflow this worker kept for the row as read under the lock (row version, spec key,
serializer version and state text all equal) and otherwise deserializes the stored state, as before. The workflow
the run leaves is kept only once the transaction that stored its state has committed, stamped with the row
version that commit wrote; a rollback (of the request, or of the conflict a stale row version raised) drops it.
The cache is one per application object, i.e. per worker process; `MEMBERFLOW_WORKFLOW_CACHE_ENTRIES=0` turns
it off.
"""

import re
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.accounts.models import User
from app.engine import runtime
from app.engine.live import LiveWorkflows, Stamp
from app.engine.specs import ProcessVersion
from app.extensions import db
from app.workflow.models import ProcessInstance
from app.workflow.steps import run_engine

_KEY = "memberflow.live_workflows"
_PENDING = "memberflow.live_pending"  # session.info: instance id -> (cache, instance, snapshot) to keep on commit


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = LiveWorkflows(
        app.config["MEMBERFLOW_WORKFLOW_CACHE_ENTRIES"], app.config["MEMBERFLOW_WORKFLOW_CACHE_MB"] * 1024 * 1024
    )


def live_workflows() -> LiveWorkflows | None:
    return current_app.extensions.get(_KEY)


_REPORT = "live workflow cache: {hits} hits, {misses} misses ({stale} stale)"
_REPORT_LINE = re.compile(r"live workflow cache: (\d+) hits, (\d+) misses \((\d+) stale\)")


def cache_report(app: Flask) -> str | None:
    """How this worker's cache served its engine runs, as one log line (gunicorn.conf.py logs it as the worker
    exits). A run on a stored instance misses when another worker ran that instance last."""
    cache = app.extensions.get(_KEY)
    return _REPORT.format(hits=cache.hits, misses=cache.misses, stale=cache.stale) if cache is not None else None


def summed_cache_reports(log: str) -> tuple[int, int, int]:
    """Hits, misses and stale entries over every worker's cache_report line in a server log (scripts/load)."""
    totals = [0, 0, 0]
    for match in _REPORT_LINE.finditer(log):
        for i in range(3):
            totals[i] += int(match.group(i + 1))
    return totals[0], totals[1], totals[2]


def _stamp(instance: ProcessInstance) -> Stamp:
    return Stamp(instance.row_version, instance.spec_key, instance.serializer_version, instance.state)


def run_on_instance(
    fn: Any, version: ProcessVersion, instance: ProcessInstance, *args: Any, actor: User | None = None
) -> runtime.Snapshot:
    """`run_engine(fn, version, instance.state, instance.serializer_version, *args)`, on the kept workflow if it is
    the one the locked row stores; the caller mirrors the snapshot into `instance` (apply_snapshot). The run's
    decisions are logged as `actor`'s, or the system's (issue 18)."""
    cache = live_workflows()
    wf = cache.take(instance.id, _stamp(instance)) if cache is not None and instance.spec_key == version.key else None
    snap = run_engine(
        fn, version, instance.state, instance.serializer_version, *args, instance=instance, actor=actor, live=wf
    )
    keep_on_commit(instance, snap)
    return snap


def keep_on_commit(instance: ProcessInstance, snap: runtime.Snapshot) -> None:
    """Keep the run's workflow for `instance` once the transaction commits (its row then stores `snap.state`)."""
    cache = live_workflows()
    if cache is not None and snap.workflow is not None and instance.id is not None:
        db.session.info.setdefault(_PENDING, {})[instance.id] = (cache, instance, snap)


@event.listens_for(Session, "after_commit")
def _keep_committed(session: Session) -> None:
    """The rows are committed and not yet expired: keep each workflow whose state is what the row now stores."""
    if session.in_nested_transaction():  # a savepoint released: nothing is committed yet
        return
    for instance_id, (cache, instance, snap) in session.info.pop(_PENDING, {}).items():
        stored = instance.__dict__
        known = all(key in stored for key in ("row_version", "spec_key", "serializer_version"))
        if known and stored.get("state") == snap.state and instance not in session.dirty:
            stamp = Stamp(stored["row_version"], stored["spec_key"], stored["serializer_version"], snap.state)
            cache.keep(instance_id, stamp, snap.workflow)


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # a rollback (after a commit, _keep_committed has taken them already)
        session.info.pop(_PENDING, None)
