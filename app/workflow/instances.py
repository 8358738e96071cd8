"""Creating a process instance: the current version run to its first wait, its claim (R-ONE-1), its rows."""

from typing import Any

from app import clock
from app.accounts.models import User
from app.decisions.log import recording
from app.engine import runtime
from app.engine.specs import catalog
from app.extensions import db
from app.workflow.live import keep_on_commit
from app.workflow.mirror import apply_snapshot, flush_claim
from app.workflow.models import ProcessInstance
from app.workflow.steps import created_without_tasks, run_engine
from app.workflow.versions import persist_version


def create_instance(process_id: str, applicant: User, data: dict[str, Any]) -> ProcessInstance:
    """A new instance of the current version, run to its first wait and mirrored into rows."""
    version = catalog().process(process_id)
    persist_version(version)
    seed = {"applicant_user_id": applicant.id, "applicant_name": applicant.name, **data}
    with recording("engine", applicant.id, process_id=process_id) as decided:  # its first run's decisions
        snap = run_engine(runtime.start, version, seed)
    subject_id, exclusive_key = _exclusive_claim(version.start_properties, process_id, applicant)
    instance = ProcessInstance(
        process_id=process_id,
        spec_key=version.key,
        title=f"{version.name}（{applicant.name}）",
        applicant_id=applicant.id,
        subject_id=subject_id,
        exclusive_key=exclusive_key,
        serializer_version=snap.serializer_version,
        state=snap.state,
        created_at=clock.now(),
    )
    db.session.add(instance)
    flush_claim(subject_id, exclusive_key)
    created_without_tasks(instance)
    apply_snapshot(instance, version, snap, applicant.name)
    decided.attach(instance.id)
    keep_on_commit(instance, snap)  # the first completion then finds the workflow in this worker (issue 13)
    return instance


def _exclusive_claim(props: dict[str, str], process_id: str, applicant: User) -> tuple[int | None, str | None]:
    """R-ONE-1: whom the application is about, and what it excludes while running (None: nothing).

    The system's watches exclude nothing. With start property subject (a data path, "departed.user_id")
    the applicant acts for someone the process data names later (a firm's reviewer for a departed
    appraiser); apply_snapshot then records that person.
    """
    if props.get("startedBy") == "system":
        return None, None
    key = props.get("exclusiveGroup") or process_id
    return (None if props.get("subject") else applicant.id), key
