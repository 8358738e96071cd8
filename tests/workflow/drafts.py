"""What the owner of an applicant task finds in it: their draft, else what the process prefilled."""

from typing import Any

from app.workflow.drafts import draft_of
from app.workflow.models import HumanTask


def typed(task: HumanTask) -> dict[str, Any] | None:
    assert task.user_id is not None, "an applicant task: it has one owner"
    return draft_of(task, task.user_id)
