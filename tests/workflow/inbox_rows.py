"""A factory for inbox rows: an instance and its open review task, written directly (no engine walk)."""

from datetime import timedelta

from app import clock
from app.extensions import db
from app.workflow.models import HumanTask, ProcessInstance, SpecVersion

SPEC_KEY = "test-inbox-rows"


def make_inbox_task(
    applicant,
    org,
    *,
    process_id="transfer",
    name="转出地协会审核",
    role="local_association",
    arrived=None,
    due_in=None,
    assignee=None,
):
    """An open `role` task of `org` for `applicant`'s application; `arrived` defaults to now, `due_in` days."""
    if db.session.get(SpecVersion, SPEC_KEY) is None:
        db.session.add(
            SpecVersion(key=SPEC_KEY, process_id=process_id, name="t", bpmn_xml="", spec_json="", forms_json="")
        )
        db.session.flush()  # before the instance that points at it (no relationship orders the two inserts)
    arrived = arrived or clock.now()
    instance = ProcessInstance(
        process_id=process_id,
        spec_key=SPEC_KEY,
        title=f"申请（{applicant.name}）",
        applicant_id=applicant.id,
        serializer_version="1",
        state="{}",
        created_at=arrived,
    )
    db.session.add(instance)
    db.session.flush()
    task = HumanTask(
        instance_id=instance.id,
        process_id=process_id,
        task_uuid=f"u{instance.id}",
        bpmn_id="T",
        name=name,
        role=role,
        organization_id=org.id,
        form_key="review_association",
        created_at=arrived,
        due_at=arrived + timedelta(days=due_in) if due_in is not None else None,
        assignee_id=assignee.id if assignee else None,
        title=instance.title,
        applicant_name=applicant.name,
    )
    db.session.add(task)
    db.session.flush()
    return task
