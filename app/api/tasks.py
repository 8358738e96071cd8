"""Resource: the reviewer's inbox and one task: read it, claim it, save a draft, complete it."""

from typing import Any

from flask import request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from app.api.instances import instance_document
from app.api.schemas import (
    CompleteArgsSchema,
    DraftSchema,
    InboxArgsSchema,
    OrganizationMatchesSchema,
    OrganizationSearchArgsSchema,
    PageArgsSchema,
    TaskDocument,
    TaskDocumentSchema,
    TaskPageSchema,
    TaskSchema,
)
from app.api.views import bp, json_object, load_args
from app.errors import NotFound
from app.workflow import queries, services
from app.workflow.access import visible_task
from app.workflow.drafts import draft_of
from app.workflow.options import field_options, search_organizations, searched_fields

# built once (issue 13): a marshmallow schema binds its fields on construction, 0.02–0.12 ms a request each; an
# instance keeps no state of a call, so every request shares these
_INBOX_ARGS = InboxArgsSchema()
_PAGE_ARGS = PageArgsSchema()
_SEARCH_ARGS = OrganizationSearchArgsSchema()
_COMPLETE_ARGS = CompleteArgsSchema()
_TASK_PAGE = TaskPageSchema()
_TASK_DOCUMENT = TaskDocumentSchema()
_MATCHES = OrganizationMatchesSchema()
_TASK = TaskSchema()
_DRAFT = DraftSchema()


@bp.get("/inbox")
def inbox() -> ResponseReturnValue:
    args = load_args(_INBOX_ARGS)
    page = queries.list_inbox(current_user, sort=args["sort"], process_id=args.get("process"), page=args["page"])
    return _TASK_PAGE.dump(page)


@bp.get("/inbox/done")
def done_tasks() -> ResponseReturnValue:
    return _TASK_PAGE.dump(queries.list_done(current_user, page=load_args(_PAGE_ARGS)["page"]))


@bp.get("/tasks/<int:task_id>")
def get_task(task_id: int) -> ResponseReturnValue:
    task = visible_task(current_user, task_id)
    version = services.version_of(task.instance)
    draft = draft_of(task, current_user.id)
    # a searched field (5,000 filed firms) lists only the organisation the draft holds; the client searches the rest
    options = field_options(task, version, shown=draft or {}) if task.status == "open" else {}
    searched = searched_fields(task, version) if task.status == "open" else []
    search = {name: url_for(".organization_search", task_id=task.id, field=name) for name in searched}
    submissions = [e for e in queries.latest_submissions(task.instance).values() if e.role == "applicant"]
    document = TaskDocument(task, version.forms[task.form_key or ""], options, draft, submissions, search)
    return _TASK_DOCUMENT.dump(document)


@bp.get("/tasks/<int:task_id>/organizations/<field>")
def organization_search(task_id: int, field: str) -> ResponseReturnValue:
    """The search behind an organisation field: the filter that checks a submitted id (app/organizations/choices.py),
    the same as the page's box (app/workflow/choice_views.py)."""
    task = visible_task(current_user, task_id)
    text = load_args(_SEARCH_ARGS)["q"]
    found = search_organizations(task, services.version_of(task.instance), field, text)
    if found is None:
        raise NotFound(gettext("表单中没有可检索的机构字段"))
    results, more = found
    return _MATCHES.dump({"results": results, "more": more})


@bp.post("/tasks/<int:task_id>/claim")
def claim_task(task_id: int) -> ResponseReturnValue:
    return _TASK.dump(services.claim_task(task_id, current_user))


@bp.post("/tasks/<int:task_id>/unclaim")
def unclaim_task(task_id: int) -> ResponseReturnValue:
    return _TASK.dump(services.unclaim_task(task_id, current_user))


@bp.put("/tasks/<int:task_id>/draft")
def save_draft(task_id: int) -> ResponseReturnValue:
    return _DRAFT.dump(services.save_draft(task_id, current_user, _form_data()))


@bp.post("/tasks/<int:task_id>/complete")
def complete_task(task_id: int) -> ResponseReturnValue:
    with_timeline = bool(request.args) and load_args(_COMPLETE_ARGS).get("include") == "timeline"
    user = current_user._get_current_object()  # the proxy would look the user up again on each of the service's reads
    return instance_document(services.submit_task(task_id, user, _form_data()), with_timeline)


def _form_data() -> dict[str, Any]:
    """The posted form data; the service re-reads every attachment reference from its stored row."""
    return json_object()
