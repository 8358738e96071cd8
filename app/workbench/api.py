"""The workbench's JSON API, the contract the editor pages code against (issue 17). JSON calls send the CSRF token
in the X-CSRFToken header (Flask-WTF reads it), as forms send the csrf_token field."""

from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from app.errors import Invalid
from app.extensions import db
from app.workbench import drafts, gate
from app.workbench.access import analysts_only
from app.workbench.catalog import PublishConflict, check_file, live_version
from app.workbench.lint import as_json, lint
from app.workbench.models import SpecFileVersion

bp = Blueprint("workbench_api", __name__, url_prefix="/workbench/api")


analysts_only(bp)


def _version_json(v: SpecFileVersion | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {
        "version_id": v.id,
        "number": v.number,
        "hash": v.hash,
        "content": v.content,
        "author": v.author_name,
        "created_at": v.created_at.isoformat(),
        "comment": v.comment,
        "source": v.source,
    }


def _body_text(key: str, required: bool = True) -> str:
    body = request.get_json(silent=True)
    value = body.get(key) if isinstance(body, dict) else None
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise Invalid(gettext("请求须为 JSON 对象，且 %(key)s 为文本", key=key))
    return value


def _checked(checked: drafts.Checked) -> dict[str, Any]:
    return {"problems": as_json(checked.problems), "publishable": not checked.problems}


@bp.get("/files/<kind>/<name>")
def get_file(kind: str, name: str) -> ResponseReturnValue:
    draft = drafts.draft_of(current_user, kind, name)
    live = live_version(kind, name)
    if live is None and draft is None:
        from app.errors import NotFound

        raise NotFound(gettext("没有这个文件：%(kind)s/%(name)s", kind=kind, name=name))
    draft_json = None
    if draft is not None:
        draft_json = {
            "content": draft.content,
            "base_version_id": draft.base_version_id,
            "updated_at": draft.updated_at.isoformat(),
            "problems": as_json(lint(kind, name, draft.content, current_user)),
            "stale": draft.base_version_id != (live.id if live else None),
            "what_if": gate.what_if(kind, draft.content, name),
        }
    return jsonify({"kind": kind, "name": name, "live": _version_json(live), "draft": draft_json})


@bp.put("/files/<kind>/<name>/draft")
def put_draft(kind: str, name: str) -> ResponseReturnValue:
    return jsonify(_checked(drafts.save_draft(current_user, kind, name, _body_text("content"))))


@bp.post("/files/<kind>")
def new_file(kind: str) -> ResponseReturnValue:
    name = _body_text("name")
    check_file(kind, name)
    checked = drafts.save_draft(current_user, kind, name, _body_text("content"), new_file=True)
    return jsonify({"kind": kind, "name": name, **_checked(checked)}), 201


@bp.delete("/files/<kind>/<name>/draft")
def delete_draft(kind: str, name: str) -> ResponseReturnValue:
    drafts.drop_draft(current_user, kind, name)
    return "", 204


@bp.post("/files/<kind>/<name>/rebase")
def rebase(kind: str, name: str) -> ResponseReturnValue:
    checked = drafts.rebase(current_user, kind, name)
    return jsonify({"base_version_id": checked.draft.base_version_id, **_checked(checked)})


@bp.post("/files/<kind>/<name>/publish")
def publish(kind: str, name: str) -> ResponseReturnValue:
    comment = _body_text("comment", required=False)
    draft = drafts.draft_of(current_user, kind, name)
    try:
        version, problems = drafts.publish_draft(current_user, kind, name, comment)
    except PublishConflict as err:
        assert draft is not None
        return jsonify(drafts.conflict_of(draft, err)), 409
    except gate.ScenariosFailed as failed:
        return jsonify({"problems": as_json(failed.problems), "scenarios": failed.lines}), 422
    if problems:
        return jsonify({"problems": as_json(problems)}), 422
    db.session.commit()
    drafts.refresh_after_publish()
    return jsonify({"version_id": version.id, "number": version.number})
