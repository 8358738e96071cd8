"""What the system does to instances for a person, outside their own requests: watches started and messaged.

Called from inside another engine run (an operation), so it is recorded as follow-up work and done after it.
"""

from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.engine import runtime
from app.extensions import db
from app.workflow.followups import after_run, run_followups
from app.workflow.instances import create_instance
from app.workflow.live import run_on_instance
from app.workflow.mirror import apply_snapshot
from app.workflow.models import ProcessInstance
from app.workflow.steps import audit, flush_or_conflict, lock_instance
from app.workflow.versions import version_of


def start_system_process(process_id: str, applicant_id: int, data: dict[str, Any]) -> None:
    """After the current engine run: start a process the system runs for a person (e.g. the custody year's
    watch), without the start rule."""
    after_run(_start_system_process, process_id, applicant_id, data)


def message_running(process_id: str, applicant_id: int, name: str) -> None:
    """After the current engine run: send `name` to the person's running instances of `process_id`
    (e.g. custody_ended to the custody watch), in id order; instances not waiting for it ignore it."""
    after_run(_message_running, process_id, applicant_id, name)


def _start_system_process(process_id: str, applicant_id: int, data: dict[str, Any]) -> None:
    applicant = db.session.get(User, applicant_id)
    assert applicant is not None
    instance = create_instance(process_id, applicant, data)
    audit(instance, None, "started", step=version_of(instance).name)
    flush_or_conflict()


def _message_running(process_id: str, applicant_id: int, name: str) -> None:
    running = db.session.scalars(
        select(ProcessInstance.id)
        .where(
            ProcessInstance.process_id == process_id,
            ProcessInstance.applicant_id == applicant_id,
            ProcessInstance.status == "running",
        )
        .order_by(ProcessInstance.id)
    )
    for instance_id in list(running):
        _send_system_message(instance_id, name)


def send_system_message(instance_id: int, name: str) -> ProcessInstance:
    """Deliver a system message now (an administrator's retry of a failed one), then its follow-up work."""
    instance = _send_system_message(instance_id, name)
    run_followups()
    return instance


def _send_system_message(instance_id: int, name: str) -> ProcessInstance:
    """Deliver a message the BPMN waits for on behalf of the system (e.g. custody_ended); no-op if not waiting."""
    instance = lock_instance(instance_id)
    if instance.status != "running" or name not in (instance.waiting_messages or []):
        return instance
    version = version_of(instance)
    snap = run_on_instance(runtime.send_message, version, instance, name)
    apply_snapshot(instance, version, snap, instance.applicant.name)
    audit(instance, None, "message", step=name)
    flush_or_conflict()
    return instance
