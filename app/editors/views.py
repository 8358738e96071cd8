"""The workbench editor pages (issue 17 items 2 and 7): analysts only. Saving and publishing go through the
workbench's file API (/workbench/api/files/…); these views serve the pages, their pick lists and the form preview."""

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.rights import require_analyst
from app.editors.vocabulary import vocabulary
from app.errors import NotFound
from app.formkit import FormFileError, FormSpec, render_form

bp = Blueprint("editors", __name__, url_prefix="/workbench/edit")

# kind -> (folder setting, file suffix, template)
KINDS = {
    "bpmn": ("MEMBERFLOW_PROCESSES_DIR", ".bpmn", "editors/bpmn.html"),
    "dmn": ("MEMBERFLOW_RULES_DIR", ".dmn", "editors/dmn.html"),
    "form": ("MEMBERFLOW_FORMS_DIR", ".json", "editors/form.html"),
}


@bp.before_request
@login_required
def _analysts_only() -> None:
    require_analyst(current_user)


@bp.get("/<any(bpmn, dmn, form):kind>/<name>")
def edit(kind: str, name: str) -> str:
    setting, suffix, template = KINDS[kind]
    if not _known(Path(current_app.config[setting]), name, suffix):
        raise NotFound(_("没有名为 %(name)s 的文件", name=name))
    return render_template(template, kind=kind, name=name)


def _known(folder: Path, name: str, suffix: str) -> bool:
    """A file of that name exists (the catalog's versions start from the files; a name is never a path)."""
    return name.isidentifier() and (folder / f"{name}{suffix}").is_file()


@bp.get("/vocabulary.json")
def vocabulary_json() -> ResponseReturnValue:
    return jsonify(vocabulary())


@bp.post("/form/<name>/preview")
def form_preview(name: str) -> ResponseReturnValue:
    """The form as applicants will see it, rendered by the form kit from the texts being edited."""
    body: dict[str, Any] = request.get_json(silent=True) or {}
    try:
        spec = FormSpec.from_texts(name, str(body.get("schema", "")), str(body.get("ui", "")))
        html = render_form(spec, {}, {})
    except FormFileError as err:
        return jsonify(problems=[{"file": Path(err.file).name, "line": err.line, "message": err.message}]), 422
    return jsonify(html=str(html), title=spec.title)
