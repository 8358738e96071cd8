"""The decision log: records the DMN evaluations made while a person acts; previews are never recorded.

A service opens `recording(...)` around the evaluations that decide (a start attempt, the warning shown on
starting, a submitted option, a print, and every engine run of an instance: its business-rule tasks and the
service operations that decide); every `catalog().decide` inside it adds one row to the session. Outside such a
block (the start page asking every table, a form listing its options) nothing is written.
"""

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import g, has_request_context
from sqlalchemy import delete, insert, select

from app import clock
from app.decisions.models import DecisionRecord
from app.engine.specs import DECISION_OBSERVERS, Decision
from app.extensions import db

PURPOSES = ("start", "warning", "option", "print", "engine")


@dataclass
class Attempt:
    purpose: str
    person_id: int | None
    actor_id: int | None
    process_id: str | None
    instance_id: int | None
    only: Collection[str] | None
    records: list[DecisionRecord] = field(default_factory=list)

    def attach(self, instance_id: int) -> None:
        """A start attempt that created an instance: its records point at it."""
        self.instance_id = instance_id
        for record in self.records:
            record.instance_id = instance_id


_current: ContextVar[Attempt | None] = ContextVar("decision_attempt", default=None)


@contextmanager
def recording(
    purpose: str,
    person_id: int | None,
    *,
    actor_id: int | None = None,
    process_id: str | None = None,
    instance_id: int | None = None,
    only: Collection[str] | None = None,
    by_system: bool = False,
) -> Iterator[Attempt]:
    """Record the decisions made inside the block (only those named in `only`, when given); the actor is the
    person unless named, or nobody when the system acts (a timer, a message)."""
    actor = None if by_system else actor_id if actor_id is not None else person_id
    attempt = Attempt(purpose, person_id, actor, process_id, instance_id, only)
    token = _current.set(attempt)
    try:
        yield attempt
    finally:
        _current.reset(token)


_INSERT_RECORD = insert(DecisionRecord)


def _record(decision_id: str, version: str, facts: dict[str, Any], decision: Decision) -> None:
    """One row per decision. Inserted at once by a Core statement on the session's connection when its instance is
    known (issue 13: an option submitted or an engine run's decision is never read back in the request, and the
    unit of work cost more than the insert); a record that `attach` may still point at its instance, or one after
    a record still pending in the session (rows keep their order), goes through the session."""
    attempt = _current.get()
    if attempt is None or (attempt.only is not None and decision_id not in attempt.only):
        return
    values = {
        "decision_id": decision_id,
        "version": version,
        "purpose": attempt.purpose,
        "facts": dict(facts),
        "rule_id": decision.rule_id,
        "row": decision.row,
        "annotation": (decision.annotation or None) and decision.annotation[:500],
        "outputs": dict(decision.outputs),
        "person_id": attempt.person_id,
        "actor_id": attempt.actor_id,
        "process_id": attempt.process_id,
        "instance_id": attempt.instance_id,
        "at": clock.now(),
    }
    session = db.session()
    record = None
    if attempt.instance_id is None or any(isinstance(row, DecisionRecord) for row in session.new):
        record = DecisionRecord(**values)
        session.add(record)
        attempt.records.append(record)
    else:
        session.connection().execute(_INSERT_RECORD, [values])
    if has_request_context() and _refuses(decision.outputs):
        # the error page says which row refused (templates/error.html); a row inserted above is named by a copy
        g.decision_refusal = record or DecisionRecord(**values)


DECISION_OBSERVERS.append(_record)


def refused(record: DecisionRecord) -> bool:
    """The outcome said no: not eligible, not allowed (a warning is not a refusal)."""
    return _refuses(record.outputs or {})


def _refuses(out: dict[str, Any]) -> bool:
    return any(key in out and not out[key] for key in ("eligible", "allowed"))


def outcome_of(outputs: dict[str, Any]) -> str:
    """The outcome in one word for lists and replays: eligible / refused / the outputs themselves."""
    for key in ("eligible", "allowed"):
        if key in outputs:
            return "eligible" if outputs[key] else "refused"
    if not outputs:
        return "no_match"
    return "; ".join(f"{k}={v}" for k, v in sorted(outputs.items()))


def person_records(person_id: int, limit: int = 50) -> list[DecisionRecord]:
    stmt = select(DecisionRecord).where(DecisionRecord.person_id == person_id)
    return list(db.session.scalars(stmt.order_by(DecisionRecord.at.desc(), DecisionRecord.id.desc()).limit(limit)))


def instance_records(instance_id: int) -> list[DecisionRecord]:
    stmt = select(DecisionRecord).where(DecisionRecord.instance_id == instance_id)
    return list(db.session.scalars(stmt.order_by(DecisionRecord.at, DecisionRecord.id)))


def latest_records(decision_id: str, limit: int) -> list[DecisionRecord]:
    """The newest `limit` evaluations of one decision (ix_decision_record_decision_at)."""
    stmt = (
        select(DecisionRecord)
        .where(DecisionRecord.decision_id == decision_id)
        .order_by(DecisionRecord.at.desc(), DecisionRecord.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def purge_decision_records(keep_days: int) -> int:
    """Retention (MEMBERFLOW_DECISION_LOG_DAYS): delete records older than `keep_days`; returns how many."""
    cutoff = clock.now() - timedelta(days=keep_days)
    result = db.session.execute(delete(DecisionRecord).where(DecisionRecord.at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
