"""The workbench editor pages (issue 17 items 2 and 7): analysts only. Saving and publishing go through the
workbench's file API (/workbench/api/files/…); these views serve the pages, their pick lists and the form preview."""

from pathlib import Path

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from app.editors.library_words import library_words
from app.editors.vocabulary import vocabulary
from app.formkit import FormFileError, FormSpec, render_form
from app.workbench.access import analysts_only
from app.workbench.catalog import check_file

bp = Blueprint("editors", __name__, url_prefix="/workbench/edit")
TEMPLATES = {"bpmn": "editors/bpmn.html", "dmn": "editors/dmn.html", "form": "editors/form.html"}


analysts_only(bp)


@bp.get("/<any(bpmn, dmn, form):kind>/<name>")
def edit(kind: str, name: str) -> str:
    """The editor of one file, named as the file API names it (transfer.bpmn, transfer_apply.ui.json)."""
    pair = form_pair(name) if kind == "form" else None
    words = library_words(kind)  # the editor library's own words in the page's language (bpmn-js, dmn-js)
    return render_template(TEMPLATES[kind], kind=kind, name=name, pair=pair, words=words)


def form_pair(name: str) -> dict[str, str]:
    """A form is two files: its JSON Schema (<key>.json) and its layout (<key>.ui.json); the page edits one."""
    key = name.removesuffix(".json").removesuffix(".ui")
    return {"key": key, "schema": f"{key}.json", "ui": f"{key}.ui.json"}


@bp.get("/vocabulary.json")
def vocabulary_json() -> ResponseReturnValue:
    return jsonify(vocabulary())


@bp.post("/form/<name>/preview")
def form_preview(name: str) -> ResponseReturnValue:
    """The form as applicants will see it, rendered by the form kit from the two texts being edited."""
    check_file("form", name)
    pair, body = form_pair(name), request.get_json(silent=True)
    texts = body if isinstance(body, dict) else {}
    try:
        schema, ui = (str(texts.get(part, "")).encode("utf-8") for part in ("schema", "ui"))
        spec = FormSpec.from_texts(pair["key"], schema, ui, pair["schema"], pair["ui"])
        html = render_form(spec, {}, {})
    except FormFileError as err:
        return jsonify(problems=[{"file": Path(err.file).name, "line": err.line, "message": err.message}]), 422
    return jsonify(html=str(html), title=spec.title)
