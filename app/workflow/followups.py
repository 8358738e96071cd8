"""Follow-up work: what an engine run asks to happen to other instances, done after that run.

An operation inside an engine run (placing a member in custody, ending custody) must not start or message
another instance there and then: that would be an engine run inside an engine run, locking a second
instance while the first is half-written. It records the work here instead, in the session's unit of
work; the service that ran the engine runs it once its own snapshot is written and flushed. The lock
order is therefore always the same: the instance acted on first, then the others in the order recorded.
A rollback forgets what was recorded, with the rest of the transaction.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.errors import Invalid, NotEligible
from app.extensions import db
from app.workflow.incidents import step_failed

_QUEUE = "memberflow.followups"


def after_run(work: Callable[..., Any], *args: Any) -> None:
    """Record `work(*args)` to run after the current engine run, in this transaction."""
    db.session.info.setdefault(_QUEUE, []).append((work, args))


def run_followups() -> None:
    """Run the recorded work in order; work that runs an engine may record more, which runs next.

    A refusal here (a 422: invalid, not eligible) is not the person's input being refused, and the request
    would commit the outer run without it: it becomes a failed step, rolled back and recorded as an incident."""
    queue = db.session.info.get(_QUEUE, [])
    while queue:
        work, args = queue.pop(0)
        try:
            work(*args)
        except (Invalid, NotEligible) as err:
            raise step_failed(f"后续处理（{getattr(work, '__name__', work)}）被拒绝：{err.message}", None) from err


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous: SessionTransaction) -> None:
    session.info.pop(_QUEUE, None)
