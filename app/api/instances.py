"""Resource: the applications (process instances) the current user started or reviews."""

from typing import Any

from flask.typing import ResponseReturnValue
from flask_login import current_user

from app import clock
from app.api.schemas import ApplicationsArgsSchema, InstanceDocument, InstanceDocumentSchema, InstanceListSchema
from app.api.views import bp, load_args
from app.workflow import queries, services
from app.workflow.access import may_act, visible_instance
from app.workflow.models import ProcessInstance

# built once: a marshmallow schema binds its fields on construction (about a millisecond a request, issue 13)
_WITH_TIMELINE = InstanceDocumentSchema()
_WITHOUT_TIMELINE = InstanceDocumentSchema(exclude=("timeline",))
_APPLICATIONS_ARGS = ApplicationsArgsSchema()
_INSTANCE_LIST = InstanceListSchema()


def instance_document(instance: ProcessInstance, with_timeline: bool = True) -> dict[str, Any]:
    """The instance with what the current user may do next: applicant actions and tasks of theirs; and the
    timeline unless `with_timeline` is False (a completion's answer leaves it out unless asked, issue 13)."""
    user = current_user._get_current_object()  # one lookup, not one per task asked about
    is_applicant = instance.applicant_id == user.id
    actions = [
        {"name": name, "label": services.APPLICANT_ACTIONS[name]}
        for name in instance.waiting_messages or []
        if is_applicant and name in services.APPLICANT_ACTIONS
    ]
    tasks = [t for t in queries.open_tasks_for(user, instance) if may_act(user, t)]
    if not with_timeline:
        return _WITHOUT_TIMELINE.dump(InstanceDocument(instance, actions, tasks, []))
    return _WITH_TIMELINE.dump(InstanceDocument(instance, actions, tasks, queries.timeline(instance)))


@bp.get("/instances")
def list_instances() -> ResponseReturnValue:
    year = load_args(_APPLICATIONS_ARGS).get("year") or clock.today().year
    return _INSTANCE_LIST.dump({"year": year, "items": queries.list_applications(current_user, year)})


@bp.get("/instances/<int:instance_id>")
def get_instance(instance_id: int) -> ResponseReturnValue:
    return instance_document(visible_instance(current_user, instance_id))


@bp.post(f"/instances/<int:instance_id>/actions/<any({', '.join(services.APPLICANT_ACTIONS)}):action>")
def instance_action(instance_id: int, action: str) -> ResponseReturnValue:
    return instance_document(services.applicant_action(instance_id, current_user, action))
