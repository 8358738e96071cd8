"""The applicant's applications that a reviewer sent back (退回待修改), for the top of their home page."""

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.workflow.models import AuditEvent, HumanTask

# claiming is not a decision: the latest decision on the instance says whether it came back
_NOT_DECISIONS = ("claimed", "unclaimed")


def returned_tasks(user: User) -> list[tuple[HumanTask, AuditEvent]]:
    """The person's open tasks whose application's latest decision is a return, with that return (a few rows)."""
    tasks = db.session.scalars(
        select(HumanTask).where(HumanTask.status == "open", HumanTask.user_id == user.id).order_by(HumanTask.id)
    )
    found = []
    for task in tasks:
        last = db.session.scalar(
            select(AuditEvent)
            .where(AuditEvent.instance_id == task.instance_id, AuditEvent.action.not_in(_NOT_DECISIONS))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(1)
        )
        if last is not None and last.action == "returned":
            found.append((task, last))
    return found
