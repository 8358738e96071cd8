"""Resource: the reviewer's inbox and one task: read it, claim it, save a draft, complete it."""

from typing import Any

from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.api.instances import instance_document
from app.api.schemas import (
    CompleteArgsSchema,
    DraftSchema,
    InboxArgsSchema,
    PageArgsSchema,
    TaskDocument,
    TaskDocumentSchema,
    TaskPageSchema,
    TaskSchema,
)
from app.api.views import bp, json_object, load_args
from app.workflow import queries, services
from app.workflow.access import visible_task
from app.workflow.drafts import draft_of
from app.workflow.options import field_options


@bp.get("/inbox")
def inbox() -> ResponseReturnValue:
    args = load_args(InboxArgsSchema())
    page = queries.list_inbox(current_user, sort=args["sort"], process_id=args.get("process"), page=args["page"])
    return TaskPageSchema().dump(page)


@bp.get("/inbox/done")
def done_tasks() -> ResponseReturnValue:
    return TaskPageSchema().dump(queries.list_done(current_user, page=load_args(PageArgsSchema())["page"]))


@bp.get("/tasks/<int:task_id>")
def get_task(task_id: int) -> ResponseReturnValue:
    task = visible_task(current_user, task_id)
    version = services.version_of(task.instance)
    options = field_options(task, version) if task.status == "open" else {}
    submissions = [e for e in queries.latest_submissions(task.instance).values() if e.role == "applicant"]
    draft = draft_of(task, current_user.id)
    document = TaskDocument(task, version.forms[task.form_key or ""], options, draft, submissions)
    return TaskDocumentSchema().dump(document)


@bp.post("/tasks/<int:task_id>/claim")
def claim_task(task_id: int) -> ResponseReturnValue:
    return TaskSchema().dump(services.claim_task(task_id, current_user))


@bp.post("/tasks/<int:task_id>/unclaim")
def unclaim_task(task_id: int) -> ResponseReturnValue:
    return TaskSchema().dump(services.unclaim_task(task_id, current_user))


@bp.put("/tasks/<int:task_id>/draft")
def save_draft(task_id: int) -> ResponseReturnValue:
    return DraftSchema().dump(services.save_draft(task_id, current_user, _form_data()))


_COMPLETE_ARGS = CompleteArgsSchema()  # built once (issue 13: the completion is the API's hot path)


@bp.post("/tasks/<int:task_id>/complete")
def complete_task(task_id: int) -> ResponseReturnValue:
    with_timeline = load_args(_COMPLETE_ARGS).get("include") == "timeline"
    return instance_document(services.submit_task(task_id, current_user, _form_data()), with_timeline)


def _form_data() -> dict[str, Any]:
    """The posted form data; the service re-reads every attachment reference from its stored row."""
    return json_object()
