"""Claiming several inbox tasks at once: each through the single claim, under its lock and row version."""

from dataclasses import dataclass, field

from app.accounts.models import User
from app.errors import DomainError
from app.extensions import db
from app.workflow.services import claim_task

MAX_BULK = 100


@dataclass
class BulkClaim:
    claimed: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def claim_tasks(task_ids: list[int], user: User) -> BulkClaim:
    """Claim each task in a savepoint: one taken by someone else meanwhile is refused alone, the others stand."""
    result = BulkClaim()
    for task_id in dict.fromkeys(task_ids[:MAX_BULK]):
        try:
            with db.session.begin_nested():
                claim_task(task_id, user)
        except DomainError as err:
            result.refused.append((task_id, err.message))
            if not db.session().in_transaction():  # a stale row rolled the whole transaction back: nothing stands
                result.refused += [(t, err.message) for t in result.claimed]
                result.claimed.clear()
                break
            continue
        result.claimed.append(task_id)
    return result
