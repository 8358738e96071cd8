"""The search behind an organisation field's combobox: a task form's field, up to 20 matches as JSON (issues 13, 16)."""

from flask import Blueprint, jsonify, request
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug import Response

from app.errors import NotFound
from app.workflow import services
from app.workflow.access import visible_task
from app.workflow.options import search_organizations

bp = Blueprint("choices", __name__)


@bp.get("/tasks/<int:task_id>/organizations/<field>")
@login_required
def search(task_id: int, field: str) -> Response:
    """Organisations the field offers (the filter that checks a submitted id) whose name or credit code contains
    `q`; only to whoever may see the task, only for its form's searched organisation fields."""
    task = visible_task(current_user, task_id)
    found = search_organizations(task, services.version_of(task.instance), field, request.args.get("q", ""))
    if found is None:
        raise NotFound(gettext("表单中没有可检索的机构字段"))
    results, more = found
    return jsonify(results=[c._asdict() for c in results], more=more)
